/**
 * A small fetch client for Agora, typed by the `paths` that openapi-typescript generates from the
 * served schema (build/schema.d.ts): a path and a method name the operation, and the schema gives
 * its path and query parameters, its JSON body and, for each status, the body of the answer.
 * Written here rather than taken from a library (openapi-fetch does the same) so that what is
 * checked is the generated types alone, with nothing between them and fetch.
 */
import type { paths } from "./build/schema.js";

type Method = "get" | "put" | "post" | "patch" | "delete";
export type Path = keyof paths;

/** The methods the schema gives `P` (the others are `?: never` in the generated paths). */
export type MethodOf<P extends Path> = {
  [M in Method]: paths[P][M] extends { responses: object } ? M : never;
}[Method];

type Operation<P extends Path, M extends MethodOf<P>> = Extract<paths[P][M], { responses: object }>;

type ParametersOf<Op> = Op extends { parameters: infer Found } ? Found : never;
type PathParameters<Op> = ParametersOf<Op> extends { path: infer Found } ? Found : undefined;
type QueryParameters<Op> = ParametersOf<Op> extends { query?: infer Found } ? Found : undefined;
type HeaderParameters<Op> = ParametersOf<Op> extends { header?: infer Found } ? Found : undefined;
// `requestBody?: never` where the operation takes none; optional where every field is.
type RequestBody<Op> = Op extends { requestBody?: infer Found } ? NonNullable<Found> : never;
type JsonBody<Op> = [RequestBody<Op>] extends [never]
  ? undefined
  : RequestBody<Op> extends { content: { "application/json": infer Found } }
    ? Found
    : undefined;
type BodyInput<Op> = JsonBody<Op> extends undefined
  ? { body?: undefined }
  : Op extends { requestBody: object }
    ? { body: JsonBody<Op> }
    : { body?: JsonBody<Op> };

/** What a call takes: the path parameters and the JSON body when the operation has them. */
export type Input<Op> = {
  token?: string;
  query?: QueryParameters<Op>;
  headers?: HeaderParameters<Op>;
} & (PathParameters<Op> extends undefined ? { path?: undefined } : { path: PathParameters<Op> }) &
  BodyInput<Op>;

type Responses<Op> = Op extends { responses: infer Found } ? Found : never;
type BodyOf<Answer> = Answer extends { content: infer Content } ? Content[keyof Content] : undefined;

/** An answer: one member per status the schema documents, each with that status's body. */
export type Answer<Op> = {
  [Status in keyof Responses<Op>]: {
    status: Status;
    body: BodyOf<Responses<Op>[Status]>;
    headers: Headers;
  };
}[keyof Responses<Op>];

export type Client = <P extends Path, M extends MethodOf<P>>(
  method: M,
  path: P,
  input: Input<Operation<P, M>>,
) => Promise<Answer<Operation<P, M>>>;

/** A client of the Agora served at `baseUrl`. */
export function client(baseUrl: string): Client {
  return async (method, path, input) => {
    const parameters: Record<string, unknown> = input.path ?? {};
    const url = new URL(
      String(path).replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(String(parameters[name])),
      ),
      baseUrl,
    );
    for (const [name, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers = new Headers(input.headers as Record<string, string> | undefined);
    headers.set("Accept", "application/json");
    if (input.token !== undefined) headers.set("Authorization", `Bearer ${input.token}`);
    if (input.body !== undefined) headers.set("Content-Type", "application/json");

    const response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
    });
    const type = response.headers.get("Content-Type") ?? "";
    const text = await response.text();
    const body = text === "" ? undefined : type.includes("json") ? JSON.parse(text) : text;
    // The status is the server's: the type says it is one the schema documents, which
    // `expectStatus` checks before anything reads the body.
    return { status: response.status, body, headers: response.headers } as Answer<
      Operation<typeof path, typeof method>
    >;
  };
}

/** `answer`, narrowed to the member of `status`; throws if the server answered another. */
export function expectStatus<
  A extends { status: number; body: unknown },
  const S extends A["status"],
>(
  what: string,
  answer: A,
  status: S,
): Extract<A, { status: S }> {
  if (answer.status !== status) {
    const body = JSON.stringify(answer.body) ?? "";
    throw new Error(`${what}: expected ${status}, got ${answer.status}: ${body}`);
  }
  console.log(`  ${what}: ${status}`);
  return answer as Extract<A, { status: S }>;
}
