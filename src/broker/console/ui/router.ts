import { useEffect, useState } from "preact/hooks";

/** Where the console is: one page per hash, so the broker serves a single index.html. */
export type Route =
  | { page: "queues" }
  | { page: "create" }
  | { page: "queue"; name: string; tab: QueueTab }
  | { page: "send"; name: string };

export const QUEUE_TABS = [
  "details",
  "edit",
  "monitoring",
  "dead-letter",
  "tags",
  "policy",
] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export const TAB_LABELS: Record<QueueTab, string> = {
  details: "Details",
  edit: "Edit",
  monitoring: "Monitoring",
  "dead-letter": "Dead-letter queue",
  tags: "Tags",
  policy: "Access policy",
};

const CONSOLE = "Mailroom console";

/** The window's title on each page, most specific first, so tabs and history tell pages apart. */
export function titleOf(route: Route): string {
  switch (route.page) {
    case "queues":
      return `Queues · ${CONSOLE}`;
    case "create":
      return `Create queue · Queues · ${CONSOLE}`;
    case "queue":
      return `${route.name} (${TAB_LABELS[route.tab]}) · Queues · ${CONSOLE}`;
    case "send":
      return `Send and receive · ${route.name} · Queues · ${CONSOLE}`;
  }
}

/** Which page a route shows: a queue's tabs are one page, whose heading stays put. */
export function pageOf(route: Route): string {
  return route.page === "queue" ? `queue:${route.name}` : hrefOf(route);
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").map(decodedPart);
  if (parts[0] === "create") return { page: "create" };
  if (parts[0] === "queues" && parts[1]) {
    const name = parts[1];
    if (parts[2] === "send") return { page: "send", name };
    const tab = (QUEUE_TABS as readonly string[]).includes(parts[2] ?? "")
      ? (parts[2] as QueueTab)
      : "details";
    return { page: "queue", name, tab };
  }
  return { page: "queues" };
}

/** A hash part decoded; one that is not valid percent-encoding (`50%off`) is taken as typed. */
function decodedPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case "queues":
      return "#/";
    case "create":
      return "#/create";
    case "queue":
      return `#/queues/${encodeURIComponent(route.name)}/${route.tab}`;
    case "send":
      return `#/queues/${encodeURIComponent(route.name)}/send`;
  }
}

export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}
