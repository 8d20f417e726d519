import { startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";

/** A `mailroom todo` process and where it serves. */
export interface RunningTodo {
  readonly cli: CliProcess;
  readonly url: string;
}

/** Starts `mailroom todo` on a free port with its data in `dataDir`, once it is listening. */
export async function startTodoApp(
  endpoint: string,
  dataDir: string,
  extraArgs: readonly string[] = [],
  env?: NodeJS.ProcessEnv,
): Promise<RunningTodo> {
  const cli = startCli(
    [
      "todo",
      "--endpoint-url",
      endpoint,
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--log-level",
      "warn",
      ...extraArgs,
    ],
    env === undefined ? {} : { env },
  );
  const match = await cli.waitFor(/^Todo app listening on (http:\/\/\S+)$/m);
  return { cli, url: match[1]! };
}

/** Starts `mailroom worker` on the same data and queue, once it is receiving. */
export async function startWorker(
  endpoint: string,
  dataDir: string,
  extraArgs: readonly string[] = [],
  env?: NodeJS.ProcessEnv,
): Promise<CliProcess> {
  const cli = startCli(
    [
      "worker",
      "--endpoint-url",
      endpoint,
      "--data-dir",
      dataDir,
      "--wait-seconds",
      "1",
      "--log-level",
      "warn",
      ...extraArgs,
    ],
    env === undefined ? {} : { env },
  );
  await cli.waitFor(/^Worker \d+: /m);
  return cli;
}

/** A JSON call to the app: status, headers and the parsed body (undefined when empty). */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    /** Ends the call: a test's bound on an answer that may never come. */
    signal?: AbortSignal;
  } = {},
): Promise<{ status: number; headers: Headers; json: T }> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    redirect: "manual",
    headers: {
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text === "" ? undefined : JSON.parse(text)) as T,
  };
}
