/** How the Queues page is filtered, sorted and paged, kept in the address to survive Back and reload. */
export interface QueuesQuery {
  filter: string;
  sort: SortKey;
  descending: boolean;
  pageSize: number;
  /** From 0; the address counts from 1. */
  page: number;
}

export type SortKey =
  "name" | "type" | "created" | "visible" | "inFlight" | "encryption" | "contentBasedDeduplication";

const SORT_KEYS: readonly SortKey[] = [
  "name",
  "type",
  "created",
  "visible",
  "inFlight",
  "encryption",
  "contentBasedDeduplication",
];
export const PAGE_SIZES = [25, 50, 100, 250];

export const DEFAULT_QUERY: QueuesQuery = {
  filter: "",
  sort: "name",
  descending: false,
  pageSize: 50,
  page: 0,
};

/** The query in a hash such as `#/?q=orders&sort=created&desc=1&page=2&size=100`; anything unknown is the default. */
export function queuesQueryOf(hash: string): QueuesQuery {
  const at = hash.indexOf("?");
  const params = new URLSearchParams(at === -1 ? "" : hash.slice(at + 1));
  const sort = params.get("sort") ?? "";
  const pageSize = Number(params.get("size"));
  const page = Number(params.get("page"));
  return {
    filter: params.get("q") ?? DEFAULT_QUERY.filter,
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : DEFAULT_QUERY.sort,
    descending: params.get("desc") === "1",
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_QUERY.pageSize,
    page: Number.isInteger(page) && page >= 1 ? page - 1 : DEFAULT_QUERY.page,
  };
}

/** The Queues page's hash for `query`, `#/` when it is all defaults. */
export function hashOfQueuesQuery(query: QueuesQuery): string {
  const params = new URLSearchParams();
  if (query.filter !== "") params.set("q", query.filter);
  if (query.sort !== DEFAULT_QUERY.sort) params.set("sort", query.sort);
  if (query.descending) params.set("desc", "1");
  if (query.page !== 0) params.set("page", String(query.page + 1));
  if (query.pageSize !== DEFAULT_QUERY.pageSize) params.set("size", String(query.pageSize));
  const text = params.toString();
  return text === "" ? "#/" : `#/?${text}`;
}
