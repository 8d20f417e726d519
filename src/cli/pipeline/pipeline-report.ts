import { pathForPeople } from "../path-for-people.ts";
import { widgetsMatch } from "../../widgets/compare-widgets.ts";
import type { PipelineResult } from "./run-pipeline.ts";
import { counted, formatCount as n } from "../../apps/counted.ts";

/** The closing summary of `mailroom pipeline` (`npm start`), for people. */
export function pipelineReport(result: PipelineResult): string {
  const { producer, consumers, comparison } = result;
  const seconds = result.elapsedMs / 1000;
  const applied = consumers.created + consumers.updated + consumers.deleted;
  const setAsideTotal = [...result.setAside.values()].reduce((sum, count) => sum + count, 0);
  const where = pathForPeople(result.widgetsDir);
  const lines = [
    `Widget pipeline finished in ${seconds.toFixed(1)} s`,
    row(
      "requests produced",
      `${n(producer.produced)} (${n(producer.byType.create)} create, ${n(producer.byType.update)} update, ${n(producer.byType.delete)} delete), seed ${producer.seed}` +
        (result.invalidSent > 0 ? `, plus ${result.invalidSent} invalid` : ""),
    ),
    row(
      "widgets",
      `${n(consumers.created)} created, ${n(consumers.updated)} updated, ${n(consumers.deleted)} deleted; ${n(result.widgetCount)} ${result.widgetCount === 1 ? "exists" : "exist"} now`,
    ),
    row(
      "late arrivals",
      `${counted(consumers.lateArrivals, "request")} came after a later request of ${consumers.lateArrivals === 1 ? "its" : "their"} widget, ` +
        "merged in production order",
    ),
    row(
      "duplicates",
      `${counted(consumers.duplicates, "delivery", "deliveries")} recognised and skipped`,
    ),
    row(
      "set aside",
      setAsideTotal === 0
        ? "none"
        : `${setAsideTotal}, in the dead-letter queue ${result.deadLetterQueueName}:`,
    ),
    ...[...result.setAside].map(([reason, count]) => `${" ".repeat(22)}${count} x ${reason}`),
    row(
      "throughput",
      `${n(Math.round(applied / seconds))} widget changes/s with ${counted(result.consumerCount, "consumer process", "consumer processes")}`,
    ),
    row("widgets are in", `${where}/ (<owner>/<id>, one JSON file each)`),
    row(
      "check",
      widgetsMatch(comparison)
        ? `${matchingWidgets(comparison.matching)} the state the produced requests lead to`
        : `MISMATCH: ${comparison.missing.length} missing, ${comparison.unexpected.length} unexpected, ${comparison.different.length} different (e.g. ${[...comparison.missing, ...comparison.unexpected, ...comparison.different].slice(0, 3).join(", ")})`,
    ),
    row("logs", `${pathForPeople(result.runDir)}/consumers/consumer-<n>.log`),
    ...consoleRows(result),
  ];
  return `${lines.join("\n")}\n`;
}

/** "all 926 widgets equal", in the form the count wants. */
function matchingWidgets(count: number): string {
  if (count === 0) return "no widgets, as in";
  return count === 1 ? "the 1 widget equals" : `all ${n(count)} widgets equal`;
}

/** With --keep-up: where to look, since the broker and its console stay up. */
function consoleRows(result: PipelineResult): string[] {
  if (result.keptUp === undefined) return [];
  const url = result.keptUp.consoleUrl;
  const queuePage = (name: string, tab: string) =>
    `${url}#/queues/${encodeURIComponent(name)}/${tab}`;
  const indent = " ".repeat(22);
  return [
    row("console", `${url} (broker ${result.endpoint}); both stay up until Ctrl-C`),
    `${indent}the request queue's charts: ${queuePage(result.queueName, "monitoring")}`,
    `${indent}the dead-letter queue:      ${queuePage(result.deadLetterQueueName, "details")}`,
  ];
}

function row(label: string, text: string): string {
  return `  ${label.padEnd(20)}${text}`;
}
