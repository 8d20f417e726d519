import type { SigningCredentials } from "../load/sigv4-signer.ts";
import type { RunningServer } from "../servers/running-server.ts";

export type TargetName = "mailroom" | "fauxqs";

/** How a scenario needs its server started, beyond the defaults. */
export interface ServerSetup {
  /** Verify SigV4 on every request and accept this key only (Mailroom's `--auth sigv4`). */
  auth?: SigningCredentials;
}

/** A broker the scenarios can run against. */
export interface Target {
  readonly name: TargetName;
  /** Column heading in the report. */
  readonly label: string;
  /** Whether messages survive a restart; the 1M restart check needs it. */
  readonly durable: boolean;
  /** Starts a fresh server on `port`; a durable target keeps its data in `dataDir`. */
  start(port: number, dataDir: string, setup?: ServerSetup): Promise<RunningServer>;
}
