import { fileURLToPath } from "node:url";
import { answersListQueues } from "../sqs-admin.ts";
import { spawnServer } from "../servers/running-server.ts";
import type { Target } from "./target.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The broker exactly as a user runs it: the CLI, durable SQLite in a data
 * dir, its own process. `bin/mailroom.js` loads tsx in-process, so the
 * spawned pid is the broker's own and /proc/<pid> describes it.
 */
export const mailroomTarget: Target = {
  name: "mailroom",
  label: "Mailroom (durable)",
  durable: true,
  start(port, dataDir) {
    return spawnServer({
      name: "mailroom",
      cwd: repoRoot,
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
  },
};
