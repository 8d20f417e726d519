import { randomUUID } from "node:crypto";
import { startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";

const LISTENING = /^Widget maker listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

/** A `mailroom maker` process and where it serves. */
export interface RunningMaker {
  readonly cli: CliProcess;
  readonly url: string;
  readonly port: number;
}

/** Starts `mailroom maker` on `port` (0: any) with its widgets in `dataDir`, once it is listening. */
export async function startMaker(
  dataDir: string,
  port = 0,
  extraArgs: readonly string[] = [],
): Promise<RunningMaker> {
  const cli = startCli([
    "maker",
    "--port",
    String(port),
    "--data-dir",
    dataDir,
    "--log-level",
    "warn",
    ...extraArgs,
  ]);
  const match = await cli.waitFor(LISTENING);
  return { cli, url: match[1]!, port: Number(match[2]) };
}

const OWNERS = ["Mary Matthews", "John Jones", "Sue Smith", "Henry Hops"];

/** A valid CS5260 create request with fresh ids. */
export function createRequest(index: number): Record<string, unknown> {
  return {
    type: "create",
    requestId: randomUUID(),
    widgetId: randomUUID(),
    owner: OWNERS[index % OWNERS.length],
    label: `W${index}`,
    description: `widget number ${index}`,
    otherAttributes: [
      { name: "color", value: ["red", "blue", "green"][index % 3]! },
      { name: "size", value: String(100 + index) },
    ],
  };
}

/** POSTs `body` (a string as it is, anything else as JSON) and returns status, Location and JSON. */
export async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; location: string | null; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    location: response.headers.get("location"),
    json: (await response.json()) as Record<string, unknown>,
  };
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
): Promise<{ status: number; json: T }> {
  const response = await fetch(url);
  return { status: response.status, json: (await response.json()) as T };
}
