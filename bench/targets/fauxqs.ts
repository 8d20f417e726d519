import { answersListQueues } from "../sqs-admin.ts";
import { spawnServer } from "../servers/running-server.ts";
import type { Target } from "./target.ts";

const entry = new URL("../servers/fauxqs-server.ts", import.meta.url).pathname;

/** fauxqs keeps everything in memory: a fair speed reference, but nothing it holds survives a restart. */
export const fauxqsTarget: Target = {
  name: "fauxqs",
  label: "fauxqs (in-memory)",
  durable: false,
  start(port) {
    return spawnServer({
      name: "fauxqs",
      args: ["--import", "tsx", entry, String(port)],
      port,
      isReady: answersListQueues,
    });
  },
};
