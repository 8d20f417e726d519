import { BoundedCache } from "./bounded-cache.ts";

/** A `SignedHeaders` value, read. */
export interface SignedHeaderList {
  /** Lower case, as it goes into the canonical request: `host;x-amz-date`. */
  line: string;
  names: readonly string[];
  hasHost: boolean;
}

/**
 * `SignedHeaders` values read once each: a client sends the same list with
 * every request, and lower-casing and splitting it again costs about as much
 * as hashing the body.
 */
export class SignedHeaderLists {
  private readonly lists: BoundedCache<SignedHeaderList>;

  /** @param maxEntries Lists kept. Default 64. */
  constructor(maxEntries = 64) {
    this.lists = new BoundedCache(maxEntries);
  }

  read(signedHeaders: string): SignedHeaderList {
    let list = this.lists.get(signedHeaders);
    if (list === undefined) {
      const line = signedHeaders.toLowerCase();
      const names = line.split(";");
      list = { line, names, hasHost: names.includes("host") };
      this.lists.set(signedHeaders, list);
    }
    return list;
  }
}
