import { fileURLToPath } from "node:url";
import type { SigningCredentials } from "../load/sigv4-signer.ts";
import { answersListQueues } from "../sqs-admin.ts";
import { spawnServer } from "../servers/running-server.ts";
import type { RunningServer } from "../servers/running-server.ts";
import type { Target } from "./target.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The broker exactly as a user runs it: the CLI, durable SQLite in a data
 * dir, its own process. `bin/mailroom.js` runs the CLI in its own process
 * (compiled, or through tsx's in-process loader), so the spawned pid is the
 * broker's own and /proc/<pid> describes it.
 */
/** The variables that switch the server's authentication on, whatever the flags say. */
const AUTH_ENV = [
  "MAILROOM_AUTH",
  "MAILROOM_CREDENTIALS",
  "MAILROOM_ACCESS_KEY_ID",
  "MAILROOM_SECRET_ACCESS_KEY",
];

/**
 * The server's environment: ours without any MAILROOM auth variables (a
 * developer's shell may have them, and an unsigned scenario must get an open
 * server), plus the bench key when the server must check signatures. The key
 * goes in the environment, as a user would give it.
 */
function serverEnv(auth: SigningCredentials | undefined, consolePort: number): NodeJS.ProcessEnv {
  // By default the console on any free port: two trees measured side by side
  // would both want 9325 (an environment variable, since older trees have no
  // flag for it).
  const env: NodeJS.ProcessEnv = { ...process.env, MAILROOM_CONSOLE_PORT: String(consolePort) };
  for (const name of AUTH_ENV) delete env[name];
  if (auth !== undefined) {
    env.MAILROOM_ACCESS_KEY_ID = auth.accessKeyId;
    env.MAILROOM_SECRET_ACCESS_KEY = auth.secretAccessKey;
  }
  return env;
}

/**
 * Spawns `bin/mailroom.js server` of the tree at `cwd` (this repository by
 * default); with `auth`, as `--auth sigv4` with that key in its environment;
 * its console on `consolePort` (default: any free port).
 */
export function startMailroomServer(
  port: number,
  dataDir: string,
  cwd: string = repoRoot,
  auth?: SigningCredentials,
  consolePort = 0,
): Promise<RunningServer> {
  return spawnServer({
    name: cwd === repoRoot ? "mailroom" : cwd,
    cwd,
    env: serverEnv(auth, consolePort),
    args: [
      "bin/mailroom.js",
      "server",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--data-dir",
      dataDir,
      ...(auth === undefined ? [] : ["--auth", "sigv4"]),
    ],
    port,
    isReady: (origin) => answersListQueues(origin, auth),
  });
}

export const mailroomTarget: Target = {
  name: "mailroom",
  label: "Mailroom (durable)",
  durable: true,
  start: (port, dataDir, setup) => startMailroomServer(port, dataDir, repoRoot, setup?.auth),
};
