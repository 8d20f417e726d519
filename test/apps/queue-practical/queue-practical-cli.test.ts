import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateQueueCommand, SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli, startCli } from "../../support/cli-process.ts";
import type { CliExit } from "../../support/cli-process.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";

/**
 * `mailroom queue send|receive` as real processes against an in-process broker
 * on the real clock (long polls and idle timeouts take real time). Tests run
 * two at a time: each spends most of its time starting Node processes or
 * waiting out an idle timeout.
 */
let broker: TestBroker;

const RECEIVED_LINE = /^\[\d\d:\d\d:\d\d\] (.+?): (.*)$/gm;
const STACK_FRAME = /^\s+at .+/m;

before(async () => {
  broker = await startTestBroker({ clock: systemClock });
});

after(async () => {
  await broker.close();
});

function send(name: string, ...extra: string[]): Promise<CliExit> {
  return runCli(["queue", "send", "--name", name, "--endpoint-url", broker.endpoint, ...extra]);
}

function receive(name: string, ...extra: string[]) {
  return startCli([
    "queue",
    "receive",
    "--name",
    name,
    "--endpoint-url",
    broker.endpoint,
    ...extra,
  ]);
}

/** The `[HH:MM:SS] client: body` lines a receiver printed, in order. */
function receivedLines(stdout: string): { client: string; body: string }[] {
  return [...stdout.matchAll(RECEIVED_LINE)].map((match) => ({
    client: match[1]!,
    body: match[2]!,
  }));
}

function queueName(url: string): string {
  return url.split("/").at(-1)!;
}

function range(count: number, prefix = ""): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}Message ${index}`);
}

async function assertDrained(queueUrl: string): Promise<void> {
  assert.deepEqual(await broker.messageCounts(queueUrl), {
    ApproximateNumberOfMessages: "0",
    ApproximateNumberOfMessagesNotVisible: "0",
    ApproximateNumberOfMessagesDelayed: "0",
  });
}

describe("mailroom queue send|receive", { concurrency: 2 }, () => {
  it("a subscriber on a standard queue prints each of the 100 messages exactly once", async () => {
    // Given a subscriber waiting on a standard queue
    const url = await broker.createQueue({}, "prac");
    const name = queueName(url);
    const receiver = receive(name, "--client-name", "hello", "--count", "100");
    await receiver.waitFor(/^Connected to .+\nWaiting for messages\.\.\./m);

    // When a publisher sends its 100 messages
    const sent = await send(name, "--client-name", "Client 1");

    // Then the subscriber printed Message 0..99 once each, all from Client 1, and deleted them
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, new RegExp(`^Connected to ${name}$`, "m"));
    assert.match(sent.stdout, new RegExp(`^Sent 100 messages to ${name} in \\d+ ms$`, "m"));
    const exit = await receiver.exited;
    assert.equal(exit.code, 0, exit.stderr);
    const lines = receivedLines(exit.stdout);
    assert.equal(lines.length, 100);
    assert.ok(lines.every((line) => line.client === "Client 1"));
    assert.deepEqual(lines.map((line) => line.body).sort(), range(100).sort());
    assert.match(exit.stdout, /^Stopped after 100 messages$/m);
    await assertDrained(url);
  });

  it("a FIFO queue keeps the order, drops a re-run, and takes it again with --prepend", async () => {
    const url = await broker.createFifoQueue({ ContentBasedDeduplication: "true" }, "prac");
    const name = queueName(url);

    // Given 100 messages sent to a FIFO queue with content-based deduplication
    const first = await send(name, "--client-name", "Client 1");
    assert.equal(first.code, 0, first.stderr);

    // Then a subscriber gets them in exactly the order sent
    const firstRun = await receive(name, "--idle-timeout", "2", "--summary").exited;
    assert.equal(firstRun.code, 0, firstRun.stderr);
    assert.deepEqual(
      receivedLines(firstRun.stdout).map((line) => line.body),
      range(100),
    );
    assert.match(firstRun.stdout, /^Summary: 100 received, 0 out of order, 0 duplicates$/m);

    // When the same bodies are sent again, the queue accepts and drops them
    const rerun = await send(name, "--client-name", "Client 1");
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /not delivered again; use --prepend to send new bodies\)$/m);
    const nothing = await receive(name, "--idle-timeout", "2", "--summary").exited;
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.deepEqual(receivedLines(nothing.stdout), []);
    assert.match(nothing.stdout, /^Stopped: nothing received for 2 s$/m);
    assert.match(nothing.stdout, /^Summary: 0 received, 0 out of order, 0 duplicates$/m);

    // When the bodies change with --prepend, 100 new messages arrive, in order
    const prepended = await send(name, "--client-name", "Client 1", "--prepend", "again ");
    assert.equal(prepended.code, 0, prepended.stderr);
    assert.match(prepended.stdout, /use another --prepend to send new bodies\)$/m);
    const secondRun = await receive(name, "--count", "100").exited;
    assert.equal(secondRun.code, 0, secondRun.stderr);
    assert.deepEqual(
      receivedLines(secondRun.stdout).map((line) => line.body),
      range(100, "again "),
    );
    await assertDrained(url);
  });

  it("an unknown queue is the practical's one-line message and exit 1", async () => {
    const name = broker.uniqueName("missing");
    for (const exit of [
      await send(name, "--client-name", "Client 1"),
      await receive(name, "--idle-timeout", "1").exited,
    ]) {
      assert.equal(exit.code, 1);
      assert.equal(exit.stderr, `mailroom: Unable to find a Queue by this name ${name}\n`);
      assert.doesNotMatch(exit.stdout, /Connected/);
    }
  });

  it("a FIFO queue without content-based deduplication is refused up front", async () => {
    const url = await broker.createFifoQueue({}, "nodedup");
    const exit = await send(queueName(url), "--client-name", "Client 1");
    assert.equal(exit.code, 1);
    assert.match(
      exit.stderr,
      /^mailroom: FIFO queue \S+ does not have content-based deduplication.*enable ContentBasedDeduplication/,
    );
    assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
    assert.doesNotMatch(exit.stderr, STACK_FRAME);
    await assertDrained(url);
  });

  it("a message without the client attribute is printed, not a crash", async () => {
    // Given a message from another tool (no attributes, a line break) and one of ours, by URL
    const url = await broker.createQueue({}, "noclient");
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hello\nthere" }));
    await broker.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: "Message 3",
        MessageAttributes: { client: { DataType: "String", StringValue: "Client\n9" } },
      }),
    );

    // When the subscriber receives both
    const exit = await receive(url, "--count", "2", "--summary").exited;

    // Then both are printed on one line each (in either order: a standard
    // queue's order is best-effort), and the summary counts them apart
    assert.equal(exit.code, 0, exit.stderr);
    const byClient = (a: { client: string }, b: { client: string }) =>
      a.client.localeCompare(b.client);
    assert.deepEqual(
      receivedLines(exit.stdout).sort(byClient),
      [
        { client: "(no client)", body: '"hello\\nthere"' },
        { client: '"Client\\n9"', body: "Message 3" },
      ].sort(byClient),
    );
    assert.match(exit.stdout, /^ {2}\(no client\): 1 received, 0 out of order, 0 duplicates$/m);
    // A client's name with a line break stays on one line in the summary too
    assert.match(exit.stdout, /^ {2}"Client\\n9": 1 received, 0 out of order, 0 duplicates$/m);
    await assertDrained(url);
  });

  it("a summary counts one duplicate in the singular", async () => {
    // Given the same message from the same client twice
    const url = await broker.createQueue({}, "one-duplicate");
    for (let copy = 0; copy < 2; copy += 1) {
      await broker.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: "Message 0",
          MessageAttributes: { client: { DataType: "String", StringValue: "Client 1" } },
        }),
      );
    }

    // When the subscriber receives both, then its summary says "1 duplicate"
    const exit = await receive(queueName(url), "--count", "2", "--summary").exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /^Summary: 2 received, 0 out of order, 1 duplicate$/m);
    assert.match(exit.stdout, /^ {2}Client 1: 2 received, 0 out of order, 1 duplicate$/m);
  });

  it("SIGTERM while sending stops after the batch in flight and says how many were sent", async () => {
    // Given a sender of a million messages, some way in
    const url = await broker.createQueue({}, "sendstop");
    const sender = startCli([
      ...["queue", "send", "--name", queueName(url), "--client-name", "Client 1"],
      ...["--count", "1000000"],
      ...["--endpoint-url", broker.endpoint],
    ]);
    await sender.waitFor(/^Connected to /m);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // When it gets SIGTERM
    const exit = await sender.stop("SIGTERM");

    // Then it exits 143, as a job cut short, with a line of what it sent, and the queue holds exactly that
    assert.equal(exit.code, 143, exit.stderr);
    const line = exit.stdout.match(
      /^Stopped \(SIGTERM\): sent (\d+) messages to \S+ in \d+ ms, of 1000000 asked for$/m,
    );
    assert.ok(line, exit.stdout);
    const counts = await broker.messageCounts(url);
    assert.equal(counts?.ApproximateNumberOfMessages, line[1]);
  });

  it("a receiver whose broker goes away still prints its --summary, then one line, exit 1", async () => {
    // Given a broker of its own, and a receiver with --summary that got one message
    const server = startCli(["server", "--in-memory", "--port", "0", "--no-console"]);
    try {
      const [, endpoint] = await server.waitFor(/listening on (http:\/\/\S+)/);
      const sqs = new SQSClient({
        endpoint: endpoint!,
        region: "us-east-1",
        credentials: { accessKeyId: "mailroom", secretAccessKey: "mailroom" },
      });
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "gone" }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "Message 0" }));
      sqs.destroy();
      const receiver = startCli([
        ...["queue", "receive", "--name", "gone", "--summary"],
        ...["--endpoint-url", endpoint!],
      ]);
      await receiver.waitFor(/\(no client\): Message 0$/m);

      // When the broker stops
      await server.stop("SIGKILL");

      // Then the receiver sums up what it got, and says what went wrong in one line
      const exit = await receiver.exited;
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(exit.stdout, /^Summary: 1 received, 0 out of order, 0 duplicates$/m);
      assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
    } finally {
      await server.stop("SIGKILL");
    }
  });

  it("SIGTERM while receiving stops cleanly with exit 0 after deleting what it printed", async () => {
    // Given a subscriber running with no stop condition, which has printed one message
    const url = await broker.createQueue({}, "sigterm");
    const receiver = receive(queueName(url));
    await receiver.waitFor(/^Waiting for messages\.\.\.$/m);
    await broker.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "Message 0" }));
    await receiver.waitFor(/\(no client\): Message 0$/m);

    // When it gets SIGTERM in the middle of a long poll
    const exit = await receiver.stop("SIGTERM");

    // Then it exits 0 at once, and the printed message is gone from the queue
    assert.equal(exit.code, 0, exit.stderr);
    assert.equal(exit.stderr, "");
    assert.match(exit.stdout, /^Stopped \(SIGTERM\)$/m);
    await assertDrained(url);
  });
});

describe("mailroom queue send|receive when SQS stops answering", { concurrency: true }, () => {
  // SQS gets 10 s to answer a call (after a long poll's own wait); a run past
  // 40 s is killed, so a hang fails the test instead of stalling it.
  const HANG_MS = 40_000;

  it("a sender or receiver whose endpoint never answers fails in one line, not a hang", async () => {
    // Given an endpoint that accepts connections and never answers
    const silent = await startStallingProxy();
    try {
      // When a sender and a receiver with an idle timeout look up their queue there
      const common = ["--name", "csse6400_prac", "--endpoint-url", silent.endpoint];
      const exits = await Promise.all([
        runCli(["queue", "send", ...common, "--client-name", "x"], { timeoutMs: HANG_MS }),
        runCli(["queue", "receive", ...common, "--idle-timeout", "3"], { timeoutMs: HANG_MS }),
      ]);

      // Then each says SQS did not answer, in the barrier's words, and exits 1
      for (const exit of exits) {
        assert.equal(exit.code, 1, exit.stderr);
        assert.equal(
          exit.stderr,
          "mailroom: SQS did not answer within 10 s (look up csse6400_prac)\n",
        );
      }
    } finally {
      await silent.close();
    }
  });

  /**
   * Runs `mailroom queue <args>` on a new queue through a proxy to the broker,
   * stops the proxy answering once the command printed `ready`, and checks
   * that the command fails 10 s later (after a long poll's wait) in one line.
   */
  async function failsOnceStalled(
    prefix: string,
    args: (name: string) => string[],
    ready: RegExp,
    action: string,
  ): Promise<void> {
    const proxy = await startStallingProxy(broker.endpoint);
    const name = queueName(await broker.createQueue({}, prefix));
    const command = startCli(["queue", ...args(name), "--endpoint-url", proxy.endpoint]);
    try {
      await command.waitFor(ready);
      proxy.stall();
      await command.waitFor(/^mailroom: /m, HANG_MS, "stderr");
      const exit = await command.exited;
      assert.equal(exit.code, 1, exit.stderr);
      assert.equal(exit.stderr, `mailroom: SQS did not answer within 10 s (${action} ${name})\n`);
    } finally {
      command.child.kill("SIGKILL");
      await proxy.close();
    }
  }

  it("a receiver whose broker stops answering mid-run fails in one line, not a hang", async () => {
    // A receiver waiting on its queue, the broker stopping in the middle of a long poll:
    // it fails once the poll's wait and 10 s have passed
    await failsOnceStalled(
      "stalled-receive",
      (name) => ["receive", "--name", name, "--idle-timeout", "60"],
      /^Waiting for messages\.\.\.$/m,
      "receive from",
    );
  });

  it("a sender whose broker stops answering mid-run fails in one line, not a hang", async () => {
    // A sender of a million messages, the broker stopping while batches go out:
    // it fails 10 s into the batch in flight
    await failsOnceStalled(
      "stalled-send",
      (name) => ["send", "--name", name, "--client-name", "Client 1", "--count", "1000000"],
      /^Connected to /m,
      "send to",
    );
  });
});
