// Log in, refresh and log out through the refresh cookie alone (docs/API.md, Authentication).
// The access token is kept in memory; the refresh token never reaches this script.
"use strict";

let accessToken = null;
const AUTH = "/api/v1/auth/";

function csrfToken() {
  const found = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.split("=")[1]) : "";
}

async function post(path, body) {
  return fetch(AUTH + path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
}

async function showWho(prefix) {
  const status = document.getElementById("status");
  const me = await fetch("/api/v1/users/me/", {
    headers: { Authorization: "Bearer " + accessToken },
  });
  const body = await me.json();
  status.textContent = me.ok ? `${prefix} as ${body.username}.` : `Error: ${body.detail}`;
}

async function answered(response, prefix) {
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    document.getElementById("status").textContent = `Error ${response.status}: ${body.detail}`;
    return;
  }
  accessToken = body.access_token;
  await showWho(prefix);
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const response = await post("login/", {
      username: form.get("username"),
      password: form.get("password"),
      refresh_cookie: true,
    });
    await answered(response, "Logged in");
  });
  document.getElementById("refresh").addEventListener("click", async () => {
    await answered(await post("refresh/", {}), "Refreshed");
  });
  document.getElementById("logout").addEventListener("click", async () => {
    const response = await post("logout/", {});
    accessToken = null;
    document.getElementById("status").textContent =
      response.status === 204 ? "Logged out." : `Error ${response.status}`;
  });
});
