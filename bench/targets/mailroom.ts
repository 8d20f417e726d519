import { fileURLToPath } from "node:url";
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
/** Spawns `bin/mailroom.js server` of the tree at `cwd` (this repository by default). */
export function startMailroomServer(
  port: number,
  dataDir: string,
  cwd: string = repoRoot,
): Promise<RunningServer> {
  return spawnServer({
    name: cwd === repoRoot ? "mailroom" : cwd,
    cwd,
    args: [
      "bin/mailroom.js",
      "server",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--data-dir",
      dataDir,
    ],
    port,
    isReady: answersListQueues,
  });
}

export const mailroomTarget: Target = {
  name: "mailroom",
  label: "Mailroom (durable)",
  durable: true,
  start: (port, dataDir) => startMailroomServer(port, dataDir),
};
