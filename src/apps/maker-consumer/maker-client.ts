/** What came back from one POST to the maker. */
export type MakerReply =
  | {
      readonly kind: "answered";
      readonly status: number;
      /** The widget's absolute URL, from the `Location` header. */
      readonly location: string | undefined;
      /** The `error` of a JSON error body, when there is one. */
      readonly error: string | undefined;
    }
  /** Connection refused, reset, timed out...: the maker may be back later. */
  | { readonly kind: "unreachable"; readonly reason: string };

/**
 * The URL widget requests are POSTed to: a bare base URL gets the maker's
 * `/widgets`; a URL with a path (the seed's `http://host/add`) is used as it is.
 */
export function widgetsEndpoint(makerUrl: string): string {
  const url = new URL(makerUrl);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/widgets";
  return url.href;
}

/** POSTs one request body to the maker; never throws for network trouble, reports it. */
export async function postWidgetRequest(
  endpoint: string,
  body: string,
  timeoutMs: number,
): Promise<MakerReply> {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      // A redirect followed would turn the POST into a GET and its 200 into a false "made".
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const location = response.headers.get("location");
    return {
      kind: "answered",
      status: response.status,
      location: location === null ? undefined : new URL(location, endpoint).href,
      error: errorOf(text),
    };
  } catch (error) {
    return { kind: "unreachable", reason: describeFetchError(error, timeoutMs) };
  }
}

function errorOf(text: string): string | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === "object" && json !== null && "error" in json) {
      return typeof json.error === "string" ? json.error : undefined;
    }
  } catch {
    // Not JSON: the status alone will have to say it.
  }
  return undefined;
}

/** fetch hides the useful part (ECONNREFUSED...) in `cause`. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  // Node's own messages already name the code: "connect ECONNREFUSED 127.0.0.1:8080".
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return error.message;
}
