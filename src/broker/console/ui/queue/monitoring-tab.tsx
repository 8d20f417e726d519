import { useMemo, useState } from "preact/hooks";
import type { MetricName } from "../../../wire-types.ts";
import { queueMetrics } from "../api/console-data.ts";
import { Chart } from "../components/chart.tsx";
import { ErrorNote } from "../components/error-note.tsx";
import type { QueueView } from "./queue-view.ts";
import { useAsync } from "../use-async.ts";

const RANGES = [
  { minutes: 60, label: "1 hour" },
  { minutes: 180, label: "3 hours" },
  { minutes: 1440, label: "24 hours" },
];

/** What each metric counts, in CloudWatch's words for SQS. */
const METRICS: Record<MetricName, { title: string; unit: string; counter?: true }> = {
  NumberOfMessagesSent: { title: "Number of messages sent", unit: "messages", counter: true },
  NumberOfMessagesReceived: {
    title: "Number of messages received",
    unit: "messages",
    counter: true,
  },
  NumberOfMessagesDeleted: { title: "Number of messages deleted", unit: "messages", counter: true },
  NumberOfEmptyReceives: { title: "Number of empty receives", unit: "receives", counter: true },
  SentMessageSize: { title: "Sent message size (average)", unit: "bytes" },
  ApproximateNumberOfMessagesVisible: { title: "Messages visible", unit: "messages" },
  ApproximateNumberOfMessagesNotVisible: { title: "Messages not visible", unit: "messages" },
  ApproximateNumberOfMessagesDelayed: { title: "Messages delayed", unit: "messages" },
  ApproximateAgeOfOldestMessage: { title: "Age of oldest message", unit: "seconds" },
};
/** The charts, in the order above. */
const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

const REFRESH_MS = 10_000;

/** The queue's metrics per minute over 1, 3 or 24 hours, refreshed every 10 s. */
export function MonitoringTab({ view }: { view: QueueView }) {
  const [minutes, setMinutes] = useState(60);
  const metrics = useAsync(
    () => queueMetrics(view.name, minutes),
    `${view.name}:${minutes}`,
    REFRESH_MS,
  );
  const times = useMemo(() => {
    const value = metrics.value;
    if (value === undefined) return [];
    const length = value.metrics.NumberOfMessagesSent.length;
    return Array.from({ length }, (_, index) => value.start / 1000 + index * value.periodSeconds);
  }, [metrics.value]);

  return (
    <>
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="Time range">
          {RANGES.map((range) => (
            <button
              type="button"
              aria-pressed={range.minutes === minutes}
              onClick={() => setMinutes(range.minutes)}
            >
              {range.label}
            </button>
          ))}
        </div>
        <button type="button" onClick={metrics.reload}>
          Refresh
        </button>
        <small class="hint">Per minute; refreshed every 10 seconds.</small>
      </div>
      <ErrorNote error={metrics.error} />
      {metrics.value === undefined ? (
        metrics.error ? null : (
          <p aria-busy="true">Loading…</p>
        )
      ) : (
        <div class="charts">
          {METRIC_NAMES.map((name) => (
            <Chart
              key={`${name}:${minutes}`}
              metric={name}
              title={METRICS[name].title}
              unit={METRICS[name].unit}
              counter={METRICS[name].counter ?? false}
              times={times}
              values={metrics.value!.metrics[name]}
            />
          ))}
        </div>
      )}
    </>
  );
}
