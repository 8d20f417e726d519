import { useState } from "preact/hooks";
import { deleteQueue, purgeQueue, queueAttributes, queueUrl } from "../api/queues.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { DeadLetterTab } from "../queue/dead-letter-tab.tsx";
import { DetailsTab } from "../queue/details-tab.tsx";
import { EditTab } from "../queue/edit-tab.tsx";
import { LazyMonitoringTab } from "../queue/lazy-monitoring-tab.tsx";
import { PolicyTab } from "../queue/policy-tab.tsx";
import type { QueueView } from "../queue/queue-view.ts";
import { TagsTab } from "../queue/tags-tab.tsx";
import { hrefOf, navigate, TAB_LABELS } from "../router.ts";
import type { QueueTab } from "../router.ts";
import { useAsync } from "../use-async.ts";

const REFRESH_MS = 5_000;

/** One queue: its tabs, and its actions (send and receive, purge, delete). */
export function QueuePage({ name, tab }: { name: string; tab: QueueTab }) {
  const queue = useAsync(
    async () => {
      const url = await queueUrl(name);
      return { url, attributes: await queueAttributes(url) };
    },
    name,
    REFRESH_MS,
  );
  const [pending, setPending] = useState<"purge" | "delete">();
  const [notice, setNotice] = useState<string>();
  const view: QueueView | undefined =
    queue.value === undefined
      ? undefined
      : {
          name,
          url: queue.value.url,
          attributes: queue.value.attributes,
          fifo: queue.value.attributes.FifoQueue === "true",
          reload: queue.reload,
        };

  return (
    <section>
      <p class="crumbs">
        <a href={hrefOf({ page: "queues" })}>Queues</a> › {name}
      </p>
      <div class="title-row">
        <h1>{name}</h1>
        <div class="buttons">
          <a class="button" href={hrefOf({ page: "send", name })}>
            Send and receive messages
          </a>
          <button type="button" disabled={!view} onClick={() => setPending("purge")}>
            Purge
          </button>
          <button type="button" disabled={!view} onClick={() => setPending("delete")}>
            Delete
          </button>
        </div>
      </div>
      <Notice text={notice} />
      <ErrorNote error={queue.error} />
      <nav class="tabs" aria-label="Queue">
        {(Object.keys(TAB_LABELS) as QueueTab[]).map((each) => (
          <a
            href={hrefOf({ page: "queue", name, tab: each })}
            aria-current={each === tab ? "page" : undefined}
          >
            {TAB_LABELS[each]}
          </a>
        ))}
      </nav>
      <div class="tab-panel">
        {view === undefined ? (
          queue.error ? null : (
            <p aria-busy="true">Loading…</p>
          )
        ) : (
          <Tab tab={tab} view={view} />
        )}
      </div>
      {pending === undefined || view === undefined ? null : (
        <ConfirmDialog
          title={pending === "purge" ? `Purge ${name}` : `Delete ${name}`}
          word={pending === "purge" ? "purge" : name}
          actionLabel={pending === "purge" ? "Purge" : "Delete"}
          action={() => (pending === "purge" ? purgeQueue(view.url) : deleteQueue(view.url))}
          onClose={(done) => {
            setPending(undefined);
            if (!done) return;
            if (pending === "delete") navigate({ page: "queues" });
            else {
              setNotice(`Purged ${name}.`);
              queue.reload();
            }
          }}
        >
          <p>
            {pending === "purge"
              ? "Every message in the queue is deleted. This cannot be undone."
              : "The queue and every message in it are deleted. This cannot be undone."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Tab({ tab, view }: { tab: QueueTab; view: QueueView }) {
  switch (tab) {
    case "details":
      return <DetailsTab view={view} />;
    case "edit":
      return <EditTab view={view} />;
    case "monitoring":
      return <LazyMonitoringTab view={view} />;
    case "dead-letter":
      return <DeadLetterTab view={view} />;
    case "tags":
      return <TagsTab view={view} />;
    case "policy":
      return <PolicyTab view={view} />;
  }
}
