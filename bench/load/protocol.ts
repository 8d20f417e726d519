import type { Job, JobResult } from "./jobs.ts";
import type { ClientKind } from "./transport.ts";

/** Orchestrator -> generator process. */
export interface JobRequest {
  id: number;
  client: ClientKind;
  job: Job;
}

/** Generator process -> orchestrator. */
export type JobReply =
  | { id: number; kind: "progress"; line: string }
  | { id: number; kind: "result"; result: JobResult }
  | { id: number; kind: "error"; message: string };
