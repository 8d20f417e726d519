import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/error-note.tsx";
import type { MonitoringTab } from "./monitoring-tab.tsx";
import type { QueueView } from "./queue-view.ts";

/** The Monitoring tab, whose script (with uPlot) is fetched the first time it is opened. */
export function LazyMonitoringTab({ view }: { view: QueueView }) {
  const [Tab, setTab] = useState<typeof MonitoringTab>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    import("./monitoring-tab.tsx").then(
      (module) => setTab(() => module.MonitoringTab),
      (failure: unknown) => setError(failure),
    );
  }, []);
  if (error !== undefined) return <ErrorNote error={error} />;
  return Tab === undefined ? <p aria-busy="true">Loading charts…</p> : <Tab view={view} />;
}
