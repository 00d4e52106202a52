/**
 * The whole flow through client.ts, typed by the schema Agora serves: two users sign up and log
 * in, one posts, the other follows them, finds the post in the home feed, likes it and comments
 * on it; then a refresh and a logout. Every answer's status is checked, and a field or two of
 * its body; the first answer that is not the contract's ends the run with a non-zero status.
 *
 *     node build/js/flow.js http://127.0.0.1:8000     (after .ci/clients has built it)
 */
import { randomBytes } from "node:crypto";

import { client, expectStatus, type Client } from "./client.js";

function check(what: string, condition: boolean): void {
  if (!condition) throw new Error(what);
}

/** The refresh token of a token pair: only a login that asked for the cookie goes without. */
function refreshTokenOf(what: string, pair: { refresh_token?: string }): string {
  if (pair.refresh_token === undefined) throw new Error(`${what} answers no refresh_token`);
  return pair.refresh_token;
}

async function signUpAndLogIn(
  request: Client,
  role: string,
  byEmail: boolean,
) {
  const handle = `ts_${role}_${randomBytes(4).toString("hex")}`;
  const email = `${handle}@example.com`;
  const password = randomBytes(18).toString("base64url");

  const signedUp = expectStatus(
    `sign up ${handle}`,
    await request("post", "/api/v1/users/", { body: { email, password, username: handle } }),
    201,
  );
  check(`the new user is ${handle}`, signedUp.body.username === handle);

  // One of the two users logs in with the handle, the other with the email: the two bodies of
  // the JSON login.
  const loggedIn = expectStatus(
    `log in ${handle}`,
    await request("post", "/api/v1/auth/login/", {
      body: byEmail ? { email, password } : { username: handle, password },
    }),
    200,
  );
  check("the login answers a bearer token", loggedIn.body.token_type === "bearer");
  return {
    user: signedUp.body,
    accessToken: loggedIn.body.access_token,
    refreshToken: refreshTokenOf("the login", loggedIn.body),
  };
}

async function run(baseUrl: string): Promise<void> {
  const request = client(baseUrl);
  const author = await signUpAndLogIn(request, "author", false);
  const reader = await signUpAndLogIn(request, "reader", true);

  const post = expectStatus(
    "post",
    await request("post", "/api/v1/posts/", {
      token: author.accessToken,
      body: { title: "Generated in TypeScript", content: "Posted by flow.ts." },
    }),
    201,
  ).body;
  check("the post is the author's", post.owner.id === author.user.id && post.votes === 0);

  // The schema declares path ids as strings of digits (`^[0-9]+$`).
  const followed = expectStatus(
    "follow",
    await request("post", "/api/v1/users/{id}/follow/", {
      token: reader.accessToken,
      path: { id: String(author.user.id) },
    }),
    201,
  ).body;
  check("the reader follows the author", followed.following && followed.followers_count === 1);

  const feed = expectStatus(
    "home feed",
    await request("get", "/api/v1/posts/home/", { token: reader.accessToken }),
    200,
  ).body;
  check(
    "the post is in the reader's home feed",
    feed.results.some((found) => found.id === post.id),
  );

  const vote = expectStatus(
    "like",
    await request("post", "/api/v1/votes/", {
      token: reader.accessToken,
      body: { post_id: post.id, dir: 1 },
    }),
    201,
  ).body;
  check("the like count is 1", vote.votes === 1 && vote.voted);

  const comment = expectStatus(
    "comment",
    await request("post", "/api/v1/posts/{id}/comments/", {
      token: reader.accessToken,
      path: { id: String(post.id) },
      body: { content: "Nice one." },
    }),
    201,
  ).body;
  check("the comment is the reader's", comment.author.id === reader.user.id);
  const comments = expectStatus(
    "comments",
    await request("get", "/api/v1/posts/{id}/comments/", {
      token: author.accessToken,
      path: { id: String(post.id) },
    }),
    200,
  ).body;
  check(
    "the comment is listed",
    comments.results.length === 1 &&
      comments.results[0]?.id === comment.id &&
      comments.results[0]?.content === "Nice one.",
  );

  const refreshed = expectStatus(
    "refresh",
    await request("post", "/api/v1/auth/refresh/", {
      body: { refresh_token: reader.refreshToken },
    }),
    200,
  ).body;
  const refreshToken = refreshTokenOf("the refresh", refreshed);
  check(
    "the refresh answers a new pair",
    refreshed.access_token !== reader.accessToken && refreshToken !== reader.refreshToken,
  );

  expectStatus(
    "log out",
    await request("post", "/api/v1/auth/logout/", {
      body: { refresh_token: refreshToken },
    }),
    204,
  );
  const refused = expectStatus(
    "refresh after logout",
    await request("post", "/api/v1/auth/refresh/", {
      body: { refresh_token: refreshToken },
    }),
    401,
  ).body;
  check("the refusal says why", typeof refused.detail === "string");
}

const baseUrl = process.argv[2];
if (baseUrl === undefined) {
  console.error("usage: node build/js/flow.js BASE_URL");
  process.exit(2);
}
try {
  await run(baseUrl);
  console.log("typescript client: the whole flow passed");
} catch (failure) {
  console.error(`typescript client: FAIL  ${failure instanceof Error ? failure.message : failure}`);
  process.exit(1);
}
