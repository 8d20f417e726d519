import type { ComponentChildren } from "preact";
import { formatBytes, formatCount, formatDate, formatDuration, nameOfArn } from "../format.ts";
import type { QueueView } from "./queue-view.ts";
import { redriveAllowInWords } from "./redrive-allow.ts";
import { hrefOf } from "../router.ts";
import { parseJson } from "../json.ts";
import { ScrollBox } from "../components/scroll-box.tsx";

type Row = [label: string, value: ComponentChildren];

/** Every attribute GetQueueAttributes(All) reports, readable, with the URL and ARN to copy. */
export function DetailsTab({ view }: { view: QueueView }) {
  const a = view.attributes;
  const number = (name: string) => Number(a[name] ?? 0);
  const redrive = parseJson<{ deadLetterTargetArn: string; maxReceiveCount: number }>(
    a.RedrivePolicy,
  );
  const rows: Row[] = [
    ["Name", view.name],
    ["Type", view.fifo ? "FIFO" : "Standard"],
    ["URL", <code>{view.url}</code>],
    ["ARN", <code>{a.QueueArn ?? ""}</code>],
    ["Created", formatDate(number("CreatedTimestamp") * 1000)],
    ["Last updated", formatDate(number("LastModifiedTimestamp") * 1000)],
    ["Messages available", formatCount(number("ApproximateNumberOfMessages"))],
    ["Messages in flight", formatCount(number("ApproximateNumberOfMessagesNotVisible"))],
    ["Messages delayed", formatCount(number("ApproximateNumberOfMessagesDelayed"))],
    ["Visibility timeout", formatDuration(number("VisibilityTimeout"))],
    ["Message retention period", formatDuration(number("MessageRetentionPeriod"))],
    ["Delivery delay", formatDuration(number("DelaySeconds"))],
    ["Maximum message size", formatBytes(number("MaximumMessageSize"))],
    ["Receive message wait time", formatDuration(number("ReceiveMessageWaitTimeSeconds"))],
    [
      "Encryption",
      a.KmsMasterKeyId
        ? `SSE-KMS (${a.KmsMasterKeyId}, data key reused ${formatDuration(number("KmsDataKeyReusePeriodSeconds") || 300)})`
        : a.SqsManagedSseEnabled === "true"
          ? "SSE-SQS"
          : "Disabled",
    ],
    [
      "Dead-letter queue",
      redrive ? (
        <>
          <a
            href={hrefOf({
              page: "queue",
              name: nameOfArn(redrive.deadLetterTargetArn),
              tab: "details",
            })}
          >
            {nameOfArn(redrive.deadLetterTargetArn)}
          </a>{" "}
          after {redrive.maxReceiveCount} receives
        </>
      ) : (
        "None"
      ),
    ],
    ["Redrive allow policy", redriveAllowInWords(a.RedriveAllowPolicy)],
  ];
  if (view.fifo) {
    rows.push(
      [
        "Content-based deduplication",
        a.ContentBasedDeduplication === "true" ? "Enabled" : "Disabled",
      ],
      ["Deduplication scope", a.DeduplicationScope === "messageGroup" ? "Message group" : "Queue"],
      [
        "FIFO throughput limit",
        a.FifoThroughputLimit === "perMessageGroupId" ? "Per message group ID" : "Per queue",
      ],
    );
  }
  return (
    <>
      <dl class="details">
        {rows.map(([label, value]) => (
          <div>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <details>
        <summary>All attributes as the API reports them</summary>
        <ScrollBox label="All attributes">
          <table class="attributes">
            <tbody>
              {Object.entries(a).map(([name, value]) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td>
                    <code>{value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </details>
    </>
  );
}
