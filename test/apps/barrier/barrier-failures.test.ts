import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli, startCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * Real processes against an in-process broker. Round 1 gets a long
 * --start-timeout because starting several processes on a busy machine takes
 * seconds; the later rounds use a short --timeout, which is what is tested.
 */
let broker: TestBroker;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await broker.close();
});

function startBarrier(barrier: string, ids: readonly string[]) {
  const common = [
    "--barrier",
    barrier,
    "--endpoint-url",
    broker.endpoint,
    "--timeout",
    "3",
    "--start-timeout",
    "50",
  ];
  const coordinator = startCli([
    "barrier",
    "coordinator",
    "--participants",
    String(ids.length),
    "--rounds",
    "3",
    ...common,
  ]);
  const participants = new Map<string, CliProcess>(
    ids.map((id) => [
      id,
      // Phases of 300-500 ms leave time to kill a process between two steps.
      startCli(["barrier", "participant", "--id", id, "--work-ms", "300-500", ...common]),
    ]),
  );
  return { coordinator, participants };
}

describe("mailroom barrier failures", { concurrency: true }, () => {
  it("a coordinator stopped by SIGTERM says so in one line and exits 143 (130 for SIGINT)", async () => {
    for (const [signal, code] of [
      ["SIGTERM", 143],
      ["SIGINT", 130],
    ] as const) {
      // Given a coordinator waiting for participants that never come
      const coordinator = startCli([
        ...["barrier", "coordinator", "--participants", "2"],
        ...["--barrier", broker.uniqueName("stop-c"), "--endpoint-url", broker.endpoint],
      ]);
      await coordinator.waitFor(/waiting for 2 participants/);
      // When it is stopped, then it says so, with the signal's own exit code
      const exit = await coordinator.stop(signal);
      assert.equal(exit.code, code, exit.stderr);
      assert.match(
        exit.stderr,
        new RegExp(`^mailroom: barrier round 1: stopped by ${signal}$`, "m"),
      );
    }
  });

  it("a killed participant makes the coordinator and the others fail fast with a clear message", async () => {
    // Given a coordinator and three participants past round 1
    const { coordinator, participants } = startBarrier(broker.uniqueName("kill-p"), [
      "p1",
      "p2",
      "p3",
    ]);
    const p2 = participants.get("p2")!;
    await p2.waitFor(/^\S+ p2 round 1: phase 2 began$/m, 60_000);

    // When p2 dies before checking in to round 2
    p2.child.kill("SIGKILL");
    const killedAt = Date.now();

    // Then the coordinator gives up on round 2, naming p2
    const coordinatorExit = await coordinator.exited;
    assert.equal(coordinatorExit.code, 1, coordinatorExit.stderr);
    assert.match(
      coordinatorExit.stderr,
      /^mailroom: barrier round 2: only 2 of 3 participants checked in within 3 s \(missing: p2\)$/m,
    );
    assert.match(coordinatorExit.stdout, /^round 2: .*telling p1, p2, p3 to abort$/m);
    // And the others are told to abort and fail with the same reason, not hang
    for (const id of ["p1", "p3"]) {
      const exit = await participants.get(id)!.exited;
      assert.equal(exit.code, 1, `${id}\n${exit.stderr}`);
      assert.match(
        exit.stderr,
        /^mailroom: barrier round 2: aborted by the coordinator: only 2 of 3 participants checked in within 3 s \(missing: p2\)$/m,
      );
      assert.doesNotMatch(exit.stdout, /round 2: phase 2 began/);
    }
    assert.equal((await p2.exited).signal, "SIGKILL");
    assert.ok(Date.now() - killedAt < 20_000, "everyone exited soon after the timeout");
  });

  it("a killed coordinator makes every participant fail with a timeout instead of hanging", async () => {
    // Given a coordinator and three participants
    const { coordinator, participants } = startBarrier(broker.uniqueName("kill-c"), [
      "p1",
      "p2",
      "p3",
    ]);

    // When the coordinator dies right after releasing round 1
    await coordinator.waitFor(/^round 1: all 3 checked in; released/m, 60_000);
    coordinator.child.kill("SIGKILL");
    const killedAt = Date.now();

    // Then each participant checks in to round 2, waits 3 s and 10 s more
    // (the margin for an abort from the coordinator) and gives up
    for (const [id, participant] of participants) {
      const exit = await participant.exited;
      assert.equal(exit.code, 1, `${id}\n${exit.stderr}`);
      assert.match(
        exit.stderr,
        /^mailroom: barrier round 2: no release from the coordinator within 13 s$/m,
      );
      assert.match(exit.stdout, new RegExp(`^\\S+ ${id} round 2: checked in$`, "m"));
      assert.doesNotMatch(exit.stdout, /round 2: phase 2 began/);
    }
    assert.ok(Date.now() - killedAt < 30_000, "participants exited soon after the timeout");
  });

  it("in a one-round barrier, a participant beyond N is told to abort instead of waiting out its timeout", async () => {
    // Given three participants of a one-round barrier (the course's case),
    // all joined, then a coordinator for two of them
    const barrier = broker.uniqueName("one-too-many");
    const common = ["--barrier", barrier, "--endpoint-url", broker.endpoint, "--rounds", "1"];
    const timeouts = ["--timeout", "3", "--start-timeout", "60"];
    const { QueueUrl } = await broker.sqs.send(
      new CreateQueueCommand({ QueueName: `${barrier}-checkin` }),
    );
    const participants = ["s1", "s2", "s3"].map((id) =>
      startCli(["barrier", "participant", "--id", id, ...common, ...timeouts]),
    );
    await waitUntil(
      async () => (await broker.messageCounts(QueueUrl!))?.ApproximateNumberOfMessages === "3",
      60_000,
      "three joins",
    );
    const coordinator = await runCli([
      ...["barrier", "coordinator", "--participants", "2", ...common, ...timeouts],
    ]);
    const finishedAt = Date.now();

    // Then the coordinator releases two and tells the third why it cannot take part
    assert.equal(coordinator.code, 0, coordinator.stderr);
    const told =
      /^round 1: told (s\d) to abort: the barrier already has its 2 participants \((s\d, s\d)\)$/m.exec(
        coordinator.stdout,
      );
    assert.ok(told, coordinator.stdout);
    const [, extra, members] = told;
    // And that one fails at once with the reason, not with a missed release
    const exits = await Promise.all(participants.map((participant) => participant.exited));
    assert.ok(Date.now() - finishedAt < 20_000, "the extra one did not wait out its 60 s");
    for (const [index, exit] of exits.entries()) {
      const id = `s${index + 1}`;
      if (id !== extra) {
        assert.equal(exit.code, 0, `${id}\n${exit.stderr}`);
        continue;
      }
      assert.equal(exit.code, 1, `${id}\n${exit.stderr}`);
      assert.equal(
        exit.stderr.trim(),
        `mailroom: barrier round 1: aborted by the coordinator: the barrier already has its 2 participants (${members})`,
      );
    }
  });

  it("a coordinator whose SQS stops answering says so, instead of blaming the participants", async () => {
    // Given a coordinator waiting for its round, through a proxy to the broker
    const proxy = await startStallingProxy(broker.endpoint);
    const barrier = broker.uniqueName("stalled");
    const coordinator = startCli([
      ...["barrier", "coordinator", "--participants", "2", "--timeout", "2"],
      ...["--barrier", barrier, "--endpoint-url", proxy.endpoint],
    ]);
    try {
      await coordinator.waitFor(/waiting for 2 participants/);

      // When SQS stops answering during the round's long poll
      proxy.stall();

      // Then the round ends at its deadline with SQS named as the fault (10 s
      // later, for the receive that must answer at once), not with missing participants
      await coordinator.waitFor(/^mailroom: /m, 40_000, "stderr");
      const exit = await coordinator.exited;
      assert.equal(exit.code, 1, exit.stderr);
      assert.equal(
        exit.stderr,
        `mailroom: barrier round 1: SQS did not answer within 10 s (receive from ${barrier}-checkin)\n`,
      );
    } finally {
      coordinator.child.kill("SIGKILL");
      await proxy.close();
    }
  });

  it("a participant pointed at a web server says so in one line, with no SDK internals", async () => {
    // Given an endpoint that answers every request with a web page
    const web = createServer((_, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!DOCTYPE html>\n<html><body>Directory listing</body></html>\n");
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    try {
      // When a participant looks up its queues there
      const exit = await runCli([
        ...["barrier", "participant", "--id", "p1", "--timeout", "3"],
        ...["--endpoint-url", `http://127.0.0.1:${(web.address() as AddressInfo).port}`],
      ]);

      // Then it names the queue and what came back, in one line, as the queue commands do
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(
        exit.stderr,
        /^mailroom: barrier: cannot look up queue barrier-(checkin|release-p1): SyntaxError: .* is not valid JSON \(is the endpoint an SQS service\?\)\n$/,
      );
    } finally {
      web.close();
    }
  });

  it("a participant with no coordinator waits --start-timeout for its welcome, not --timeout", async () => {
    const exit = await runCli([
      "barrier",
      "participant",
      "--id",
      "p1",
      "--barrier",
      broker.uniqueName("no-coordinator"),
      "--endpoint-url",
      broker.endpoint,
      "--timeout",
      "1",
      "--start-timeout",
      "2",
    ]);
    assert.equal(exit.code, 1, exit.stderr);
    assert.match(exit.stderr, /^mailroom: barrier: no welcome from the coordinator within 2 s /m);
  });
});
