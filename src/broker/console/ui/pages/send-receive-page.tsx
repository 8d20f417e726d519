import { queueAttributes, queueUrl } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { hrefOf } from "../router.ts";
import { useAsync } from "../use-async.ts";
import { ReceivePanel } from "./receive-panel.tsx";
import { SendPanel } from "./send-panel.tsx";

/** "Send and receive messages" of one queue, as the AWS console has it. */
export function SendReceivePage({ name }: { name: string }) {
  const queue = useAsync(async () => {
    const url = await queueUrl(name);
    return { url, attributes: await queueAttributes(url) };
  }, name);
  const fifo = queue.value?.attributes.FifoQueue === "true";
  return (
    <section>
      <p class="crumbs">
        <a href={hrefOf({ page: "queues" })}>Queues</a> ›{" "}
        <a href={hrefOf({ page: "queue", name, tab: "details" })}>{name}</a> › Send and receive
      </p>
      <h1>Send and receive messages</h1>
      <ErrorNote error={queue.error} />
      {queue.value === undefined ? null : (
        <>
          <SendPanel
            url={queue.value.url}
            fifo={fifo}
            contentBasedDeduplication={queue.value.attributes.ContentBasedDeduplication === "true"}
            queueDelaySeconds={queue.value.attributes.DelaySeconds ?? "0"}
          />
          <ReceivePanel url={queue.value.url} />
        </>
      )}
    </section>
  );
}
