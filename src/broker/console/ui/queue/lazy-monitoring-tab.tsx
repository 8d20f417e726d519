import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/error-note.tsx";
import { importMonitoringTab } from "./import-monitoring-tab.ts";
import type { MonitoringTab } from "./monitoring-tab.tsx";
import type { QueueView } from "./queue-view.ts";

/** The Monitoring tab, whose script (with uPlot) is fetched the first time it is opened. */
export function LazyMonitoringTab({ view }: { view: QueueView }) {
  const [Tab, setTab] = useState<typeof MonitoringTab>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const left = new AbortController();
    importMonitoringTab(left.signal).then(
      (tab) => left.signal.aborted || setTab(() => tab),
      (failure: unknown) => left.signal.aborted || setError(failure),
    );
    return () => left.abort();
  }, []);
  if (error !== undefined) return <ErrorNote error={error} />;
  return Tab === undefined ? <p aria-busy="true">Loading charts…</p> : <Tab view={view} />;
}
