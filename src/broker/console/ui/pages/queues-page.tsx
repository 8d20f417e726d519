import { useEffect, useLayoutEffect, useMemo, useState } from "preact/hooks";
import { listQueueEntries } from "../api/console-data.ts";
import type { QueueListEntry } from "../../../wire-types.ts";
import { deleteQueue, purgeQueue } from "../api/queues.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { ScrollBox } from "../components/scroll-box.tsx";
import { collator, formatCount, formatDate } from "../format.ts";
import { hrefOf, parseRoute } from "../router.ts";
import { useAsync } from "../use-async.ts";
import { hashOfQueuesQuery, PAGE_SIZES, queuesQueryOf } from "./queues-query.ts";
import type { SortKey } from "./queues-query.ts";
import { ActionButton } from "../components/action-button.tsx";

/** Live counts: the list is fetched again this often while the tab is visible. */
const REFRESH_MS = 5_000;

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: "name", label: "Name" },
  { key: "type", label: "Type" },
  { key: "created", label: "Created" },
  { key: "visible", label: "Messages available", numeric: true },
  { key: "inFlight", label: "Messages in flight", numeric: true },
  { key: "encryption", label: "Encryption" },
  { key: "contentBasedDeduplication", label: "Content-based deduplication" },
];

const sortValue: Record<SortKey, (queue: QueueListEntry) => string | number> = {
  name: (queue) => queue.name,
  type: (queue) => (queue.fifo ? "FIFO" : "Standard"),
  created: (queue) => queue.createdTimestamp,
  visible: (queue) => queue.visible,
  inFlight: (queue) => queue.inFlight,
  encryption: (queue) => queue.encryption,
  contentBasedDeduplication: (queue) => (queue.contentBasedDeduplication ? 1 : 0),
};

/**
 * When the console opens on the Queues page, the list is requested as soon
 * as the script runs, before the first render: the page's load time is
 * mostly that request.
 */
let early: Promise<QueueListEntry[]> | undefined =
  parseRoute(location.hash).page === "queues" ? listQueueEntries() : undefined;
early?.catch(() => undefined);

function loadQueues(): Promise<QueueListEntry[]> {
  const first = early;
  early = undefined;
  return first ?? listQueueEntries();
}

type Pending = { kind: "purge" | "delete"; queue: QueueListEntry };

/**
 * Every queue, from one `GET /_mailroom/queues`, filtered, sorted and paged
 * in the browser (a page of rows in the DOM, however many queues), with the
 * counts refreshed live. Purge and delete ask for a typed confirmation.
 */
export function QueuesPage() {
  const queues = useAsync(loadQueues, "queues", REFRESH_MS);
  const [initial] = useState(() => queuesQueryOf(location.hash));
  const [filter, setFilter] = useState(initial.filter);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: initial.sort,
    descending: initial.descending,
  });
  const [pageSize, setPageSize] = useState(initial.pageSize);
  const [page, setPage] = useState(initial.page);
  const [selected, setSelected] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const [notice, setNotice] = useState<string>();

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matching = (queues.value ?? []).filter((queue) =>
      queue.name.toLowerCase().includes(needle),
    );
    const value = sortValue[sort.key];
    const direction = sort.descending ? -1 : 1;
    return matching.sort((a, b) => {
      const left = value(a);
      const right = value(b);
      const order =
        typeof left === "number" && typeof right === "number"
          ? left - right
          : collator.compare(String(left), String(right));
      return (order || collator.compare(a.name, b.name)) * direction;
    });
  }, [queues.value, filter, sort]);

  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const current = Math.min(page, pages - 1);
  const rows = shown.slice(current * pageSize, (current + 1) * pageSize);
  // Only a queue on screen: a selection hidden by the filter or paging is not acted on.
  const chosen = rows.find((queue) => queue.name === selected);

  // Kept in the address, replacing it rather than adding to the history: Back
  // and reload come to the list as it was left, and Back still leaves the page.
  useEffect(() => {
    // An effect runs a frame after its render: the address may be another
    // page's by then (a click as the list arrived), which it must not undo.
    if (parseRoute(location.hash).page !== "queues") return;
    const hash = hashOfQueuesQuery({
      filter,
      sort: sort.key,
      descending: sort.descending,
      pageSize,
      // Until the list is in, the page asked for: there is no page 2 of nothing yet.
      page: queues.value === undefined ? page : current,
    });
    if ((location.hash || "#/") !== hash) history.replaceState(history.state, "", hash);
  }, [filter, sort, pageSize, page, current, queues.value === undefined]);

  // A navigation to another Queues address (a shared link pasted in, the
  // header's Queues link, Back to an earlier one) shows the list as that
  // address says; the page's own replaceState above fires no hashchange.
  useLayoutEffect(() => {
    const followed = () => {
      if (parseRoute(location.hash).page !== "queues") return;
      const query = queuesQueryOf(location.hash);
      setFilter(query.filter);
      setSort({ key: query.sort, descending: query.descending });
      setPageSize(query.pageSize);
      setPage(query.page);
    };
    addEventListener("hashchange", followed);
    return () => removeEventListener("hashchange", followed);
  }, []);

  useLayoutEffect(() => {
    // For the budget test: the first time the list is in the document.
    if (
      queues.value !== undefined &&
      performance.getEntriesByName("mailroom:queues-shown").length === 0
    ) {
      performance.mark("mailroom:queues-shown", { detail: { queues: queues.value.length } });
    }
  }, [queues.value]);

  const sortBy = (key: SortKey) =>
    setSort((previous) => ({
      key,
      descending: previous.key === key ? !previous.descending : false,
    }));

  return (
    <section>
      <div class="title-row">
        <h1>
          Queues{" "}
          <span class="count" aria-live="polite">
            ({queues.value === undefined ? "…" : formatCount(queues.value.length)})
          </span>
        </h1>
        <div class="buttons">
          <button type="button" onClick={queues.reload}>
            Refresh
          </button>
          <a
            class="button"
            href={chosen ? hrefOf({ page: "send", name: chosen.name }) : undefined}
            aria-disabled={!chosen}
          >
            Send and receive messages
          </a>
          <ActionButton
            type="button"
            unavailable={!chosen}
            onClick={() => chosen && setPending({ kind: "purge", queue: chosen })}
          >
            Purge
          </ActionButton>
          <ActionButton
            type="button"
            unavailable={!chosen}
            onClick={() => chosen && setPending({ kind: "delete", queue: chosen })}
          >
            Delete
          </ActionButton>
          <a class="button primary" href={hrefOf({ page: "create" })}>
            Create queue
          </a>
        </div>
      </div>
      <Notice text={notice} />
      <ErrorNote error={queues.error} />
      <div class="toolbar">
        <label for="queue-filter" class="visually-hidden">
          Search queues by name
        </label>
        <input
          id="queue-filter"
          type="search"
          placeholder="Search queues by name"
          value={filter}
          onInput={(event) => {
            setFilter(event.currentTarget.value);
            setPage(0);
          }}
        />
        <Pager page={current} pages={pages} setPage={setPage} />
        <label>
          Rows per page{" "}
          <select
            value={pageSize}
            onChange={(event) => {
              setPageSize(Number(event.currentTarget.value));
              setPage(0);
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option value={size}>{size}</option>
            ))}
          </select>
        </label>
      </div>
      <ScrollBox label="Queues">
        <table class="queues">
          <caption class="visually-hidden">
            Queues, sorted by {COLUMNS.find((column) => column.key === sort.key)?.label}
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">Select</span>
              </th>
              {COLUMNS.map((column) => (
                <th
                  scope="col"
                  class={column.numeric ? "numeric" : undefined}
                  aria-sort={
                    sort.key === column.key
                      ? sort.descending
                        ? "descending"
                        : "ascending"
                      : undefined
                  }
                >
                  <button type="button" class="sort" onClick={() => sortBy(column.key)}>
                    {column.label}
                    <span aria-hidden="true">
                      {sort.key === column.key ? (sort.descending ? " ▼" : " ▲") : ""}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((queue) => (
              <tr key={queue.name} class={queue.name === selected ? "selected" : undefined}>
                <td>
                  <input
                    type="radio"
                    name="queue"
                    aria-label={`Select ${queue.name}`}
                    checked={queue.name === selected}
                    onChange={() => setSelected(queue.name)}
                  />
                </td>
                <td class="name">
                  <a href={hrefOf({ page: "queue", name: queue.name, tab: "details" })}>
                    {queue.name}
                  </a>
                </td>
                <td>{queue.fifo ? "FIFO" : "Standard"}</td>
                <td class="nowrap">{formatDate(queue.createdTimestamp * 1000)}</td>
                <td class="numeric">{formatCount(queue.visible)}</td>
                <td class="numeric">{formatCount(queue.inFlight)}</td>
                <td>{queue.encryption === "none" ? "Disabled" : queue.encryption}</td>
                <td>
                  {queue.fifo ? (queue.contentBasedDeduplication ? "Enabled" : "Disabled") : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {queues.value !== undefined && shown.length === 0 ? (
        <p class="empty">{filter ? `No queue matches "${filter}".` : "No queues yet."}</p>
      ) : null}
      {pending === undefined ? null : (
        <ConfirmDialog
          title={
            pending.kind === "purge"
              ? `Purge ${pending.queue.name}`
              : `Delete ${pending.queue.name}`
          }
          word={pending.kind === "purge" ? "purge" : pending.queue.name}
          actionLabel={pending.kind === "purge" ? "Purge" : "Delete"}
          action={async () => {
            if (pending.kind === "purge") await purgeQueue(pending.queue.url);
            else await deleteQueue(pending.queue.url);
          }}
          onClose={(done) => {
            if (done) {
              setNotice(
                `${pending.kind === "purge" ? "Purged" : "Deleted"} ${pending.queue.name}.`,
              );
              if (pending.kind === "delete") setSelected(undefined);
              queues.reload();
            }
            setPending(undefined);
          }}
        >
          <p>
            {pending.kind === "purge"
              ? "Every message in the queue is deleted. This cannot be undone."
              : "The queue and every message in it are deleted. This cannot be undone."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Pager(props: { page: number; pages: number; setPage: (page: number) => void }) {
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        disabled={props.page === 0}
        onClick={() => props.setPage(props.page - 1)}
      >
        Previous
      </button>
      <span aria-live="polite">
        Page {props.page + 1} of {props.pages}
      </span>
      <button
        type="button"
        disabled={props.page >= props.pages - 1}
        onClick={() => props.setPage(props.page + 1)}
      >
        Next
      </button>
    </nav>
  );
}
