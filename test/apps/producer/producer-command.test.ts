import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import { openFolderRequestSink } from "../../../src/apps/producer/folder-request-sink.ts";
import { runProducer } from "../../../src/apps/producer/run-producer.ts";
import { openS3RequestSink } from "../../../src/apps/producer/s3-request-sink.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { parseWidgetRequest } from "../../../src/widgets/parse-widget-request.ts";
import { REVISION_ATTRIBUTE } from "../../../src/widgets/request-position.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";
import { applyUpdate, widgetFromCreate } from "../../../src/widgets/widget.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli, startCli } from "../../support/cli-process.ts";
import { startS3Server } from "../../support/s3-server.ts";
import { startStallingProxy } from "../../support/stalling-proxy.ts";
import type { TestS3Server } from "../../support/s3-server.ts";

const SUMMARY =
  /^Produced ([\d,]+) widget requests?: ([\d,]+) creates?, ([\d,]+) updates?, ([\d,]+) deletes? in /m;
const STACK_FRAME = /^\s+at .+/m;

let broker: TestBroker;
let s3: TestS3Server;
const dirs: string[] = [];

before(async () => {
  [broker, s3] = await Promise.all([startTestBroker({ clock: systemClock }), startS3Server()]);
});

after(async () => {
  await Promise.all([broker.close(), s3.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mailroom-producer-cli-"));
  dirs.push(dir);
  return dir;
}

// Each test has its own queue, bucket and folder, so the processes may overlap.
describe("mailroom producer", { concurrency: true }, () => {
  it("sends the requests to a queue with their revisions and writes the expected widgets", async () => {
    // Given a standard queue
    const queueUrl = await broker.createQueue();
    const expectedFile = join(tempDir(), "expected.json");
    // When the producer sends 25 requests at full speed, with the course's short flags
    const exit = await runCli([
      "producer",
      "-rq",
      queueUrl,
      "-mwr",
      "25",
      "-ird",
      "0",
      "--seed",
      "1234",
      "--endpoint-url",
      broker.endpoint,
      "--expected-out",
      expectedFile,
      "--log-level",
      "debug",
    ]);
    // Then it reports them, with the seed
    assert.equal(exit.code, 0, exit.stderr);
    const summary = exit.stdout.match(SUMMARY);
    assert.ok(summary, exit.stdout);
    assert.equal(summary[1], "25");
    assert.equal(Number(summary[2]) + Number(summary[3]) + Number(summary[4]), 25);
    assert.match(exit.stdout, /seed: 1234 /);
    assert.match(exit.stderr, /"msg":"Generate a Create request"/);
    // And the queue holds 25 valid requests whose revisions replay into the expected widgets
    const messages = await receiveAll(queueUrl, 25);
    assert.equal(messages.length, 25);
    const numbered = messages.map((message) => {
      const parsed = parseWidgetRequest(message.Body!);
      assert.ok(parsed.ok);
      const attribute = message.MessageAttributes?.[REVISION_ATTRIBUTE];
      assert.equal(attribute?.DataType, "Number");
      return { request: parsed.request, revision: Number(attribute.StringValue) };
    });
    const expected = JSON.parse(readFileSync(expectedFile, "utf8")) as { widgets: Widget[] };
    assert.deepEqual(
      expected.widgets,
      [...replayByRevision(numbered).values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it("writes counts with thousands separators, and the keys only for a bucket or a folder", async () => {
    const queueUrl = await broker.createQueue();
    const args = ["producer", "-mwr", "1200", "-ird", "0", "--no-progress"];
    const [queueOnly, folder] = await Promise.all([
      runCli([...args, "-rq", queueUrl, "--endpoint-url", broker.endpoint]),
      runCli([...args, "--request-dir", join(tempDir(), "requests")]),
    ]);
    for (const exit of [queueOnly, folder]) {
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stdout, /^Producing 1,200 widget requests \(seed \d+\) into /);
      assert.match(
        exit.stdout,
        /^Produced 1,200 widget requests: .* \((\d{1,3}(,\d{3})*)\.\d\/s\)$/m,
      );
    }
    assert.doesNotMatch(queueOnly.stdout, /keys:/);
    assert.match(folder.stdout, /^ {2}keys: \d{13} to \d{13}$/m);
  });

  it("given only a queue's URL, sends to that URL's host and writes nothing else to stderr", async () => {
    // Given a queue named by its URL, no --endpoint-url, and credentials in the environment
    const queueUrl = await broker.createQueue();
    const env = { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" };
    // When the producer sends to it
    const args = ["producer", "-rq", queueUrl, "-mwr", "5", "-ird", "0", "--no-progress"];
    const exit = await runCli(args, { env });
    // Then the requests reach the queue, and the SDK's note that the URL's host
    // is not AWS's (once a call) stays off stderr, which carries log lines only
    assert.equal(exit.code, 0, exit.stderr);
    const lines = exit.stderr.split("\n").filter((line) => line !== "");
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `a log line: ${line}`);
    assert.equal((await receiveAll(queueUrl, 5)).length, 5);
  });

  it("gives each widget its own message group on a .fifo queue", async () => {
    const queueUrl = await broker.createFifoQueue();
    const exit = await runCli([
      "producer",
      "--request-queue",
      queueUrl,
      "--max-widget-requests",
      "12",
      "--inter-request-delay",
      "1",
      "--endpoint-url",
      broker.endpoint,
    ]);
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /FIFO/);
    const messages = await receiveAll(queueUrl, 12);
    assert.equal(messages.length, 12);
    for (const message of messages) {
      const request = JSON.parse(message.Body!) as WidgetRequest;
      assert.equal(message.Attributes?.MessageGroupId, request.widgetId);
      assert.equal(message.Attributes?.MessageDeduplicationId, request.requestId);
    }
  });

  it("into a FIFO queue, notes that the same seed within 5 minutes adds nothing", async () => {
    // Given a FIFO queue and a standard queue, each given the same seed twice
    const [fifoUrl, standardUrl] = await Promise.all([
      broker.createFifoQueue(),
      broker.createQueue(),
    ]);
    const run = (queueUrl: string) =>
      runCli([
        ...["producer", "-rq", queueUrl, "--endpoint-url", broker.endpoint],
        ...["-mwr", "6", "-ird", "0", "--seed", "99", "--no-progress"],
      ]);
    const note =
      /^ {2}note: a FIFO queue drops a request id it took in the last 5 minutes: the same --seed within 5 minutes adds nothing to it$/m;
    for (const queueUrl of [fifoUrl, standardUrl]) {
      for (let time = 0; time < 2; time++) {
        const exit = await run(queueUrl);
        assert.equal(exit.code, 0, exit.stderr);
        // Then the summary says so for the FIFO queue alone
        if (queueUrl === fifoUrl) assert.match(exit.stdout, note);
        else assert.doesNotMatch(exit.stdout, /note:/);
      }
    }
    // And the FIFO queue holds one run's requests, the standard queue both runs'
    const waiting = async (queueUrl: string) => {
      const { Attributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages"],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages);
    };
    assert.equal(await waiting(fifoUrl), 6);
    assert.equal(await waiting(standardUrl), 12);
  });

  it("with --fifo, refuses a standard queue in one line before producing anything (exit 1)", async () => {
    const queueUrl = await broker.createQueue();
    const queueName = queueUrl.split("/").at(-1)!;
    const exit = await runCli([
      "producer",
      ...["--request-queue", queueUrl, "--fifo", "-mwr", "5", "-ird", "0"],
      ...["--endpoint-url", broker.endpoint],
    ]);
    assert.equal(exit.code, 1, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: --fifo asks for a FIFO queue, but ${queueName} is a standard queue ` +
        "(FIFO queue names end in .fifo): leave out --fifo, or give a FIFO queue\n",
    );
    assert.doesNotMatch(exit.stdout, /Producing/);
    assert.equal((await receiveAll(queueUrl, 1)).length, 0);
  });

  it("puts the same requests in a bucket and a folder, keyed by timestamp", async () => {
    // Given a request bucket and a folder
    const bucket = await s3.createBucket();
    const dir = join(tempDir(), "requests");
    // When the producer writes 15 requests to both
    const exit = await runCli(
      [
        "producer",
        "-rb",
        bucket,
        "--request-dir",
        dir,
        "-mwr",
        "15",
        "-ird",
        "0",
        "--endpoint-url",
        s3.endpoint,
      ],
      { env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" } },
    );
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, new RegExp(`s3://${bucket}`));
    // Then both hold the same 15 timestamp keys, in production order, with revisions
    const listed = await s3.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    assert.equal(keys.length, 15);
    for (const key of keys) assert.match(key, /^\d{13}$/);
    const files = readdirSync(dir)
      .filter((file) => !file.startsWith("."))
      .sort();
    assert.deepEqual(files, [...keys].sort());
    const first = await s3.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[0] }));
    assert.equal(first.Metadata?.[REVISION_ATTRIBUTE], "1");
    for (const key of keys.slice(0, 5)) {
      const object = await s3.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = await object.Body!.transformToString();
      assert.equal(body, readFileSync(join(dir, key), "utf8"));
      assert.ok(parseWidgetRequest(body).ok);
      const revision = readFileSync(join(dir, ".revisions", key), "utf8").trim();
      assert.equal(object.Metadata?.[REVISION_ATTRIBUTE], revision);
    }
  });

  it("takes its bucket as name or s3://name, as the AWS CLI writes it, but not with a key", async () => {
    const bucket = await s3.createBucket();
    const env = { env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" } };
    const args = ["producer", "-mwr", "3", "-ird", "0", "--endpoint-url", s3.endpoint];
    const [exit, withKey] = await Promise.all([
      runCli([...args, "-rb", `s3://${bucket}`], env),
      runCli([...args, "-rb", `s3://${bucket}/requests`], env),
    ]);
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, new RegExp(`^ {2}into: s3://${bucket}$`, "m"));
    const listed = await s3.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.equal(listed.Contents?.length, 3);
    assert.equal(withKey.code, 2, withKey.stderr);
    assert.equal(
      withKey.stderr,
      `mailroom: --request-bucket names a bucket, as name or s3://name, without a key or prefix; got "s3://${bucket}/requests"\n`,
    );
  });

  it("starts a run's keys after those a faster run left ahead of the clock, overwriting nothing", async () => {
    // Given two runs into one bucket and folder, with keys stuck an hour ahead (as a run faster than 1/ms leaves them)
    const bucket = await s3.createBucket();
    const dir = join(tempDir(), "requests");
    const ahead = Date.now() + 3_600_000;
    for (const seed of [1, 2]) {
      const sinks = [
        await openS3RequestSink({ s3: s3.s3, bucket }),
        await openFolderRequestSink({ dir }),
      ];
      await runProducer({ count: 25, interRequestDelayMs: 0, seed, sinks, now: () => ahead });
    }
    // Then both hold all 50 requests
    const listed = await s3.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.equal(listed.Contents?.length, 50);
    assert.equal(readdirSync(dir).filter((name) => !name.startsWith(".")).length, 50);
  });

  it("stopped by SIGTERM, says how far it got and exits 143, so a script does not go on", async () => {
    const dir = join(tempDir(), "requests");
    const producer = startCli([
      ...["producer", "--request-dir", dir, "-mwr", "1000", "-ird", "20", "--no-progress"],
    ]);
    await producer.waitFor(/^Producing 1,000 widget requests/m);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = await producer.stop("SIGTERM");
    assert.equal(exit.code, 143, exit.stderr);
    const stopped = exit.stdout.match(/Stopped \(SIGTERM\) after (\d+) of 1,000 widget requests/);
    assert.ok(stopped, exit.stdout);
    const requests = readdirSync(dir).filter((name) => !name.startsWith("."));
    assert.equal(requests.length, Number(stopped[1]));
  });

  it("its queue deleted mid-run, says how many requests were stored before the error line (exit 1)", async () => {
    // Given a run into a folder and a queue
    const queueUrl = await broker.createQueue();
    const dir = join(tempDir(), "requests");
    const producer = startCli([
      ...["producer", "--request-dir", dir, "-rq", queueUrl, "--endpoint-url", broker.endpoint],
      ...["-mwr", "1000", "-ird", "20", "--no-progress"],
    ]);
    await producer.waitFor(/^Producing 1,000 widget requests/m);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // When the queue is deleted under it
    await broker.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    const exit = await producer.exited;
    // Then it says how far it got, as a stop does, and why it ended, in one line
    assert.equal(exit.code, 1, exit.stderr);
    const failed = exit.stdout.match(
      /^Failed after (\d+) of 1,000 widget requests: \d+ creates?, \d+ updates?, \d+ deletes? in /m,
    );
    assert.ok(failed, exit.stdout);
    assert.match(exit.stdout, /^ {2}seed: \d+ /m);
    assert.match(exit.stderr, /^mailroom: could not send to .*QueueDoesNotExist.*\n$/);
    // And the folder holds those requests (and perhaps the one the queue refused)
    const requests = readdirSync(dir).filter((name) => !name.startsWith(".")).length;
    assert.ok(
      requests === Number(failed[1]) || requests === Number(failed[1]) + 1,
      `${requests} in the folder`,
    );
  });

  it("its broker going quiet mid-run, stops within SQS's 10 s to answer with how far it got (exit 1)", async () => {
    // Given a run into a queue through a proxy that can stop answering, as a broker under kill -STOP
    const queueUrl = await broker.createQueue();
    const proxy = await startStallingProxy(broker.endpoint);
    try {
      const producer = startCli([
        ...["producer", "-rq", queueUrl.split("/").pop()!, "--endpoint-url", proxy.endpoint],
        ...["-mwr", "1000", "-ird", "20", "--no-progress"],
      ]);
      await producer.waitFor(/^Producing 1,000 widget requests/m);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // When the broker stops answering, and the producer is asked to stop while a send hangs
      proxy.stall();
      await new Promise((resolve) => setTimeout(resolve, 500));
      producer.child.kill("SIGTERM");
      const timer = setTimeout(() => producer.child.kill("SIGKILL"), 40_000);
      const exit = await producer.exited;
      clearTimeout(timer);
      // Then it ends by itself, saying how far it got and that SQS did not answer
      assert.equal(exit.code, 1, `${exit.stdout}\n${exit.stderr}`);
      assert.match(exit.stdout, /^Failed after \d+ of 1,000 widget requests/m);
      assert.match(
        exit.stderr,
        /^mailroom: SQS did not answer within 10 s \(send to q-[\w-]+\)\n$/,
      );
    } finally {
      await proxy.close();
    }
  });

  it("says in one line what is wrong with its flags (exit 2) or its queue (exit 1)", async () => {
    const [missingQueue, ...exits] = await Promise.all([
      runCli(["producer", "-rq", "no-such-queue", "--endpoint-url", broker.endpoint]),
      runCli(["producer", "-mwr", "5"]),
      runCli(["producer", "--request-dir", tempDir(), "-mwr", "many"]),
      runCli(["producer", "--request-dir", tempDir(), "--seed", "4294967296"]),
      runCli(["producer", "--request-dir", tempDir(), "--fifo", "-mwr", "1"]),
    ]);
    const lines = [
      /^mailroom: give at least one of --request-bucket \(-rb\), --request-queue \(-rq\) or --request-dir\n$/,
      /^mailroom: --max-widget-requests must be a whole number, 1 to 10000000; got "many"\n$/,
      /^mailroom: --seed must be a whole number, 0 to 4294967295; got "4294967296"\n$/,
      /^mailroom: --fifo is for a queue \(its message group and deduplication ids\); add --request-queue \(-rq\) or leave out --fifo\n$/,
    ];
    exits.forEach((exit, index) => {
      assert.equal(exit.code, 2, exit.stderr);
      assert.match(exit.stderr, lines[index]!);
      assert.doesNotMatch(exit.stderr, STACK_FRAME);
    });
    assert.equal(missingQueue.code, 1);
    assert.equal(
      missingQueue.stderr,
      "mailroom: Unable to find a Queue by this name no-such-queue\n",
    );
  });

  it("tells a missing bucket from an endpoint that is not S3 (the broker's, given by mistake)", async () => {
    const env = { env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" } };
    const [missing, notS3] = await Promise.all([
      runCli(["producer", "-rb", "no-such-bucket", "--endpoint-url", s3.endpoint], env),
      runCli(["producer", "-rb", "bucket", "--endpoint-url", broker.endpoint], env),
    ]);
    assert.equal(missing.code, 1, missing.stderr);
    assert.equal(missing.stderr, "mailroom: Unable to find a bucket by this name no-such-bucket\n");
    assert.equal(notS3.code, 1, notS3.stderr);
    assert.equal(
      notS3.stderr,
      "mailroom: cannot use s3://bucket: the endpoint answered HTTP 404, " +
        "not as S3 does (is it the right endpoint?)\n",
    );
  });

  it("says in one line that its --request-dir is a file, naming the folder (exit 1)", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    for (const dir of [file, join(file, "requests")]) {
      const exit = await runCli(["producer", "--request-dir", dir, "-mwr", "1"]);
      assert.equal(exit.code, 1, exit.stderr);
      assert.equal(
        exit.stderr,
        `mailroom: cannot use the request folder ${dir}: ${dir}, or a folder above it, is a file\n`,
      );
    }
  });

  it("says in one line that S3 refused its bucket (HTTP 403: s3rver knows only its own key)", async () => {
    const bucket = await s3.createBucket();
    const exit = await runCli(
      ["producer", "-rb", bucket, "--endpoint-url", s3.endpoint, "-mwr", "1"],
      { env: { AWS_ACCESS_KEY_ID: "not-s3rver", AWS_SECRET_ACCESS_KEY: "wrong" } },
    );
    assert.equal(exit.code, 1, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: cannot use s3://${bucket}: access denied (HTTP 403): ` +
        "the credentials do not allow it, or the bucket is another account's\n",
    );
  });
});

/** Receives (and deletes, so FIFO groups move on) until `count` messages or a few empty polls. */
async function receiveAll(queueUrl: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let attempt = 0; messages.length < count && attempt < 20; attempt += 1) {
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"],
        WaitTimeSeconds: 1,
      }),
    );
    if (Messages.length === 0) continue;
    messages.push(...Messages);
    await broker.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle!,
        })),
      }),
    );
  }
  return messages;
}

/** Each widget's requests applied in revision order: what a consumer must end with. */
function replayByRevision(
  requests: readonly { request: WidgetRequest; revision: number }[],
): Map<string, Widget> {
  const widgets = new Map<string, Widget>();
  const ordered = [...requests].sort((a, b) => a.revision - b.revision);
  for (const { request } of ordered) {
    if (request.type === "create") widgets.set(request.widgetId, widgetFromCreate(request));
    else if (request.type === "update") {
      widgets.set(request.widgetId, applyUpdate(widgets.get(request.widgetId)!, request));
    } else widgets.delete(request.widgetId);
  }
  return widgets;
}
