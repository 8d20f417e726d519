import type { WebReply, WebRequest } from "../http/web-app.ts";

export function html(status: number, body: string): WebReply {
  return { status, type: "text/html; charset=utf-8", body };
}

export function redirect(location: string): WebReply {
  return { status: 303, headers: { Location: location } };
}

/** True for an HTML form post: such requests are answered with a redirect back to the page. */
export function isForm(request: WebRequest): boolean {
  return request.method === "POST" && hasFormBody(request);
}

function hasFormBody(request: WebRequest): boolean {
  return (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

/**
 * The body as an object: JSON, or a form's fields (`ids` repeats into a
 * list; for any other field repeated, the last value counts, as a hidden
 * `done=false` before a checkbox `done=true` wants).
 */
export async function readFields(
  request: WebRequest,
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
