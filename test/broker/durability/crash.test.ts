import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const QUEUE = "crash-test";
/** Short, so that messages in flight at the crash come back within the test. */
const VISIBILITY_SECONDS = 2;
const SENDERS = 6;
const RECEIVERS = 2;
/** Upper bound per sender; the kill comes well before all are sent. */
const MAX_SENDS_PER_SENDER = 3_000;
/** How long the load runs before the kill. */
const KILL_AFTER_MS = 2_500;
/**
 * Padding after each message's unique key: bigger writes keep the broker busy
 * (not only the client), so the kill is likely to land mid-request or mid-commit.
 */
const PADDING = " " + "p".repeat(2_048);
const bodyFor = (key: string) => key + PADDING;
const keyOf = (body: string) => body.slice(0, body.indexOf(" "));

interface Server {
  child: ChildProcess;
  endpoint: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Spawns `mailroom server` on a free port and resolves once it prints its endpoint. */
function startServer(dataDir: string): Promise<Server> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("MAILROOM_")),
  );
  const child = spawn(
    process.execPath,
    ["bin/mailroom.js", "server", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"],
    { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 15 s; stderr: ${stderr}`)),
      15_000,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, endpoint: match[1]!, exited, stderr: () => stderr });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening; stderr: ${stderr}`));
    });
  });
}

function client(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDMAILROOMTEST", secretAccessKey: "secret" },
    // No retries: a request either is answered or is not acknowledged.
    maxAttempts: 1,
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }),
      requestTimeout: 10_000,
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGKILLs `pid` after `delayMs` from a worker thread, so that the moment does
 * not wait for the busy test thread: the broker is hit at whatever it is doing.
 * `killed()` turns true just before the signal is sent, so an error the test
 * thread sees after the kill is always known to be one.
 */
function killLater(pid: number, delayMs: number): { killed: () => boolean; done: Promise<void> } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     Atomics.wait(workerData.flag, 0, 0, workerData.delayMs);
     Atomics.store(workerData.flag, 0, 1);
     process.kill(workerData.pid, "SIGKILL");`,
    { eval: true, workerData: { pid, delayMs, flag } },
  );
  const done = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", () => resolve());
  });
  return { killed: () => Atomics.load(flag, 0) === 1, done };
}

describe("crash: SIGKILL under load", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-crash-"));
  const servers: Server[] = [];
  const clients: SQSClient[] = [];
  after(async () => {
    for (const sqs of clients) sqs.destroy();
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "keeps every acknowledged send and brings back no acknowledged delete",
    { timeout: 45_000 },
    async (t) => {
      // Given a broker on disk with a queue
      const first = await startServer(dataDir);
      servers.push(first);
      const sqs = client(first.endpoint);
      clients.push(sqs);
      await sqs.send(new ListQueuesCommand({}));
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName: QUEUE,
          Attributes: { VisibilityTimeout: String(VISIBILITY_SECONDS) },
        }),
      );

      // When senders and receivers run against it...
      const attempted = new Set<string>();
      const ackedSends = new Map<string, string>(); // body -> MessageId
      const ackedDeletes = new Set<string>(); // bodies
      const unexpected: unknown[] = [];
      const killer = killLater(first.child.pid!, KILL_AFTER_MS);
      const killed = killer.killed;
      const failed = (error: unknown) => {
        if (!killed()) unexpected.push(error);
      };

      const sender = async (id: number) => {
        for (let i = 0; i < MAX_SENDS_PER_SENDER && !killed();) {
          try {
            if (i % 11 === 0) {
              const body = bodyFor(`s${id}-${i++}`);
              attempted.add(body);
              const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
              ackedSends.set(body, sent.MessageId!);
            } else {
              const entries = Array.from({ length: 10 }, (_, k) => ({
                Id: `e${k}`,
                MessageBody: bodyFor(`s${id}-${i + k}`),
              }));
              i += 10;
              for (const entry of entries) attempted.add(entry.MessageBody);
              const sent = await sqs.send(
                new SendMessageBatchCommand({ QueueUrl, Entries: entries }),
              );
              assert.equal(sent.Failed?.length ?? 0, 0, "no batch entry fails under load");
              for (const ok of sent.Successful ?? []) {
                ackedSends.set(entries[Number(ok.Id!.slice(1))]!.MessageBody, ok.MessageId!);
              }
            }
          } catch (error) {
            return failed(error);
          }
        }
      };

      let batchDeletes = 0;
      const receiver = async () => {
        while (!killed()) {
          try {
            const { Messages = [] } = await sqs.send(
              new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
            );
            if (Messages.length === 0) {
              await sleep(5);
              continue;
            }
            // Leave some received but undeleted: they are in flight at the crash.
            const toDelete = Messages.slice(0, 8);
            if (batchDeletes++ % 2 === 0) {
              const result = await sqs.send(
                new DeleteMessageBatchCommand({
                  QueueUrl,
                  Entries: toDelete.map((m, k) => ({
                    Id: `d${k}`,
                    ReceiptHandle: m.ReceiptHandle!,
                  })),
                }),
              );
              for (const ok of result.Successful ?? [])
                ackedDeletes.add(toDelete[Number(ok.Id!.slice(1))]!.Body!);
            } else {
              for (const m of toDelete) {
                await sqs.send(
                  new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }),
                );
                ackedDeletes.add(m.Body!);
              }
            }
          } catch (error) {
            return failed(error);
          }
        }
      };

      const started = Date.now();
      const load = Promise.all([
        ...Array.from({ length: SENDERS }, (_, id) => sender(id)),
        ...Array.from({ length: RECEIVERS }, () => receiver()),
      ]);

      // ...and the broker is killed in the middle of it
      await killer.done;
      const exit = await first.exited;
      await load;
      const loadMs = Date.now() - started;
      assert.equal(exit.signal, "SIGKILL");
      assert.deepEqual(unexpected, [], "no request failed before the kill");
      assert.ok(ackedSends.size > 0 && ackedDeletes.size > 0, "the load ran before the kill");
      assert.ok(
        attempted.size < SENDERS * MAX_SENDS_PER_SENDER,
        "senders were still sending at the kill",
      );
      sqs.destroy();

      // Then, restarted on the same data...
      const second = await startServer(dataDir);
      servers.push(second);
      const again = client(second.endpoint);
      clients.push(again);
      const url = (await again.send(new GetQueueUrlCommand({ QueueName: QUEUE }))).QueueUrl!;
      const remaining = async () => {
        const { Attributes = {} } = await again.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              "ApproximateNumberOfMessages",
              "ApproximateNumberOfMessagesNotVisible",
              "ApproximateNumberOfMessagesDelayed",
            ],
          }),
        );
        return (
          Number(Attributes.ApproximateNumberOfMessages) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
          Number(Attributes.ApproximateNumberOfMessagesDelayed)
        );
      };
      const afterRestart = await remaining();

      // ...everything left is drained, including what was in flight at the crash
      const drained = new Map<string, string>(); // body -> MessageId
      const duplicates: string[] = [];
      const drainDeadline = Date.now() + 20_000;
      const drainer = async () => {
        while (Date.now() < drainDeadline) {
          const { Messages = [] } = await again.send(
            new ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 1,
              VisibilityTimeout: 60,
            }),
          );
          for (const m of Messages) {
            if (drained.has(m.Body!)) duplicates.push(keyOf(m.Body!));
            drained.set(m.Body!, m.MessageId!);
          }
          if (Messages.length > 0) {
            await again.send(
              new DeleteMessageBatchCommand({
                QueueUrl: url,
                Entries: Messages.map((m, k) => ({
                  Id: String(k),
                  ReceiptHandle: m.ReceiptHandle!,
                })),
              }),
            );
          } else if ((await remaining()) === 0) {
            return;
          }
        }
      };
      await Promise.all([drainer(), drainer(), drainer(), drainer()]);
      assert.equal(await remaining(), 0, "the queue drained within 20 s");

      const missing = [...ackedSends].filter(
        ([body, id]) => !ackedDeletes.has(body) && drained.get(body) !== id,
      );
      const resurrected = [...ackedDeletes].filter((body) => drained.has(body));
      const unknown = [...drained.keys()].filter((body) => !attempted.has(body));
      const unackedPresent = [...drained.keys()].filter((body) => !ackedSends.has(body));
      t.diagnostic(`load ran ${loadMs} ms before and during the kill`);
      t.diagnostic(`sends attempted ${attempted.size}, acknowledged ${ackedSends.size}`);
      t.diagnostic(`deletes acknowledged ${ackedDeletes.size}`);
      t.diagnostic(`messages after restart ${afterRestart}, drained ${drained.size}`);
      t.diagnostic(
        `drained but never acknowledged as sent (in flight at the kill) ${unackedPresent.length}`,
      );
      t.diagnostic(
        `missing ${missing.length}, resurrected ${resurrected.length}, duplicates ${duplicates.length}`,
      );

      assert.deepEqual(
        missing.slice(0, 10).map(([body]) => keyOf(body)),
        [],
        `${missing.length} acknowledged sends are missing (or changed id)`,
      );
      assert.deepEqual(
        resurrected.slice(0, 10).map(keyOf),
        [],
        `${resurrected.length} acknowledged deletes came back`,
      );
      assert.deepEqual(unknown.map(keyOf), [], "nothing appears that was never sent");
      assert.deepEqual(duplicates, [], "the drain saw each message once");

      // And the restarted broker still stops cleanly
      again.destroy();
      second.child.kill("SIGTERM");
      const stopped = await second.exited;
      assert.equal(stopped.code, 0, `clean exit after SIGTERM; stderr: ${second.stderr()}`);
    },
  );
});
