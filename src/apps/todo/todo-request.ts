import type { IncomingHttpHeaders } from "node:http";

/** One HTTP request as the todo routes see it. */
export interface TodoRequest {
  readonly method: string;
  /** The path without its query string or a trailing slash. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The base URL clients used (`http://host:port`), for absolute links. */
  readonly origin: string;
  readBody(): Promise<string>;
}

/** What to answer. `body` is sent as it is with `type`; a reply from {@link json} is JSON. */
export interface TodoReply {
  readonly status: number;
  readonly type?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function json(status: number, value: unknown, headers?: Record<string, string>): TodoReply {
  return {
    status,
    type: "application/json; charset=utf-8",
    body: `${JSON.stringify(value)}\n`,
    ...(headers === undefined ? {} : { headers }),
  };
}

export function html(status: number, body: string): TodoReply {
  return { status, type: "text/html; charset=utf-8", body };
}

export function redirect(location: string): TodoReply {
  return { status: 303, headers: { Location: location } };
}

export function jsonError(
  status: number,
  error: string,
  headers?: Record<string, string>,
): TodoReply {
  return json(status, { error }, headers);
}

/** True for an HTML form post: such requests are answered with a redirect back to the page. */
export function isForm(request: TodoRequest): boolean {
  return request.method === "POST" && hasFormBody(request);
}

function hasFormBody(request: TodoRequest): boolean {
  return (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

/**
 * The body as an object: JSON, or a form's fields (`ids` repeats into a
 * list; for any other field repeated, the last value counts, as a hidden
 * `done=false` before a checkbox `done=true` wants).
 */
export async function readFields(
  request: TodoRequest,
): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  const text = await request.readBody();
  if (hasFormBody(request)) {
    const form = new URLSearchParams(text);
    const value: Record<string, unknown> = {};
    for (const key of new Set(form.keys())) {
      value[key] = key === "ids" ? form.getAll(key) : form.getAll(key).at(-1);
    }
    return { ok: true, value };
  }
  try {
    return { ok: true, value: text.trim() === "" ? {} : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false, reason: "the body is not valid JSON" };
  }
}
