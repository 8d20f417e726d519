import { brokerAnswersAgain, brokerAnswersNow } from "../api/broker-answers.ts";
import type { MonitoringTab } from "./monitoring-tab.tsx";

/**
 * The Monitoring tab's script, fetched the first time it is opened, however
 * long the broker takes to answer: while it does not, the frame's banner
 * says so and the import is tried again once it answers. Chromium keeps a
 * failed import under its address, so a retry asks for that address (which
 * the browser's error names) with a fragment: another module to the
 * browser, the very file to the server. Gives up, with a sentence
 * to show, only when the broker answers and the script still fails twice.
 */
export async function importMonitoringTab(signal: AbortSignal): Promise<typeof MonitoringTab> {
  let failure: unknown;
  for (let failedWhileAnswering = 0, attempt = 0; failedWhileAnswering < 2; attempt++) {
    try {
      return (await importOnce(failure, attempt)).MonitoringTab;
    } catch (error) {
      failure = error;
    }
    if (signal.aborted) break;
    if (await brokerAnswersNow()) failedWhileAnswering++;
    else await brokerAnswersAgain(signal);
    if (signal.aborted) break;
  }
  const reason = failure instanceof Error ? failure.message : String(failure);
  throw new Error(`The charts' script could not be loaded (${reason}); reload the page.`);
}

type MonitoringModule = { MonitoringTab: typeof MonitoringTab };

function importOnce(failure: unknown, attempt: number): Promise<MonitoringModule> {
  const failed =
    failure instanceof Error ? /https?:\/\/\S+?\.js\b/.exec(failure.message)?.[0] : undefined;
  if (failed === undefined) return import("./monitoring-tab.tsx");
  const retry: string = `${failed}#retry-${attempt}`;
  return import(retry) as Promise<MonitoringModule>;
}
