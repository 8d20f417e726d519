import type { RunningServer } from "../servers/running-server.ts";

export type TargetName = "mailroom" | "fauxqs";

/** A broker the scenarios can run against. */
export interface Target {
  readonly name: TargetName;
  /** Column heading in the report. */
  readonly label: string;
  /** Whether messages survive a restart; the 1M restart check needs it. */
  readonly durable: boolean;
  /** Starts a fresh server on `port`; a durable target keeps its data in `dataDir`. */
  start(port: number, dataDir: string): Promise<RunningServer>;
}
