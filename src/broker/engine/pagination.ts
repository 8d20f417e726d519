import { errors } from "./errors.ts";
import { parseClientJson } from "./json-nesting.ts";

/**
 * One page of names after an opaque NextToken. Without MaxResults every
 * match comes back (SQS caps that at 1000) and no token is given.
 */
export function paginate(
  names: string[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { names: string[]; nextToken?: string } {
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000)
  ) {
    throw errors.invalidParameter(
      "MaxResults",
      maxResults,
      "MaxResults must be an integer between 1 and 1000.",
    );
  }
  let start = 0;
  if (nextToken !== undefined) {
    const after = decodeToken(nextToken);
    start = names.findIndex((name) => name > after);
    if (start < 0) start = names.length;
  }
  const limit = maxResults ?? 1000;
  const page = names.slice(start, start + limit);
  const more = maxResults !== undefined && start + limit < names.length;
  return more ? { names: page, nextToken: encodeToken(page[page.length - 1]!) } : { names: page };
}

function encodeToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName }), "utf8").toString("base64");
}

function decodeToken(token: string): string {
  try {
    const parsed = parseClientJson(Buffer.from(token, "base64").toString("utf8")) as {
      after?: unknown;
    };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw errors.invalidParameter("NextToken", token, "Invalid NextToken value.");
}
