import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { call, startTodoApp, startWorker } from "../todo/todo-processes.ts";

const dataDir = mkdtempSync(join(tmpdir(), "mailroom-worker-load-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it("holds dozens of debounced jobs at once without Node's listener-leak warning", async () => {
  // Given a worker and a Todo app whose jobs wait out a debounce in the worker's hand
  const broker = await startTestBroker({ clock: systemClock });
  const app = await startTodoApp(broker.endpoint, dataDir, ["--debounce-ms", "500"]);
  const worker = await startWorker(broker.endpoint, dataDir, ["--concurrency", "4"]);
  try {
    // When 40 users change their lists at once
    const users = Array.from({ length: 40 }, (_, n) => `user${n}`);
    await Promise.all(
      users.map((id) =>
        call(`${app.url}/users/${id}/items`, { method: "POST", body: { title: "x" } }),
      ),
    );
    await waitUntil(
      async () => {
        const statuses = await Promise.all(
          users.map((id) => call<{ upToDate: boolean }>(`${app.url}/users/${id}/calendar`)),
        );
        return statuses.every((status) => status.json.upToDate);
      },
      30_000,
      "every calendar rendered",
    );

    // Then every job ran, and the worker said nothing of a leak
    const exit = await worker.stop("SIGTERM");
    assert.equal(exit.code, 0, exit.stderr);
    assert.doesNotMatch(exit.stderr, /MaxListenersExceeded/);
  } finally {
    await worker.stop("SIGKILL");
    await app.cli.stop("SIGKILL");
    await broker.close();
  }
});
