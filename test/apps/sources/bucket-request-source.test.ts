import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { LocalFolderStore } from "../../../src/apps/stores/local-folder-store.ts";
import { compareWidgets } from "../../../src/widgets/compare-widgets.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { startCli } from "../../support/cli-process.ts";
import type { CliExit } from "../../support/cli-process.ts";
import { startS3Server } from "../../support/s3-server.ts";
import type { TestS3Server } from "../../support/s3-server.ts";

/** s3rver accepts only this key; the apps read it from the environment. */
const S3RVER_ENV = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

let s3: TestS3Server;
const tempDirs: string[] = [];

before(async () => {
  s3 = await startS3Server();
});
after(async () => {
  await s3.close();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function keysIn(bucket: string): Promise<string[]> {
  const { Contents = [] } = await s3.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Contents.map((object) => object.Key!);
}

describe("consumers reading a request bucket (CS5260 HW2)", { timeout: 120_000 }, () => {
  it("take the oldest request first: the lowest key, whatever order they were uploaded in", async () => {
    // Given creates of five widgets under millisecond keys, uploaded newest first
    const bucket = await s3.createBucket();
    const work = await mkdtemp(join(tmpdir(), "mailroom-bucket-order-"));
    tempDirs.push(work);
    const keys = [1612306375100, 1612306375101, 1612306375102, 1612306375103, 1612306375104];
    const requestIdOf = (key: number) => `r-${key}`;
    for (const key of [...keys].reverse()) {
      const request = {
        type: "create",
        requestId: requestIdOf(key),
        widgetId: `w-${key}`,
        owner: "Sue Smith",
      };
      await s3.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: String(key), Body: JSON.stringify(request) }),
      );
    }

    // When one consumer, one request at a time, empties the bucket
    const logFile = join(work, "consumer.log");
    const consumer = startCli(
      [
        "consumer",
        ...["--request-bucket", bucket, "--endpoint-url", s3.endpoint],
        ...["--widget-dir", join(work, "widgets"), "--concurrency", "1"],
        ...["--log-file", logFile, "--log-format", "json"],
      ],
      { env: S3RVER_ENV },
    );
    try {
      const deadline = Date.now() + 60_000;
      while ((await keysIn(bucket)).length > 0) {
        assert.ok(Date.now() < deadline, "the consumer did not empty the bucket in time");
        await sleep(100);
      }
    } finally {
      assert.equal((await consumer.stop("SIGTERM")).code, 0);
    }

    // Then it processed them in key order
    const processed = (await readFile(logFile, "utf8"))
      .split("\n")
      .filter((line) => line.includes('"msg":"Processing '))
      .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
    assert.deepEqual(processed, keys.map(requestIdOf));
  });

  it("stop at once, in one line, when the request bucket does not exist (named as name or s3://name)", async () => {
    const work = await mkdtemp(join(tmpdir(), "mailroom-bucket-missing-"));
    tempDirs.push(work);
    // The AWS CLI writes a bucket as s3://name: the flag takes that too.
    for (const bucket of ["no-such-bucket", "s3://no-such-bucket/"]) {
      const consumer = startCli(
        [
          "consumer",
          ...["--request-bucket", bucket, "--endpoint-url", s3.endpoint],
          ...["--widget-dir", join(work, "widgets")],
        ],
        { env: S3RVER_ENV },
      );
      const exit = await Promise.race([
        consumer.exited,
        sleep(30_000).then(() => consumer.stop("SIGTERM")),
      ]);
      assert.equal(exit.code, 1, exit.stderr);
      assert.equal(exit.stderr, "mailroom: Unable to find a bucket by this name no-such-bucket\n");
    }
  });

  it("stop at once, in one line, when S3 refuses the request bucket (HTTP 403)", async () => {
    const bucket = await s3.createBucket();
    const work = await mkdtemp(join(tmpdir(), "mailroom-bucket-refused-"));
    tempDirs.push(work);
    // s3rver knows only its own key: any other is refused with 403.
    const consumer = startCli(
      [
        "consumer",
        ...["--request-bucket", bucket, "--endpoint-url", s3.endpoint],
        ...["--widget-dir", join(work, "widgets")],
      ],
      { env: { AWS_ACCESS_KEY_ID: "not-s3rver", AWS_SECRET_ACCESS_KEY: "wrong" } },
    );
    const exit = await Promise.race([
      consumer.exited,
      sleep(30_000).then(() => consumer.stop("SIGTERM")),
    ]);
    assert.equal(exit.code, 1, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: cannot use s3://${bucket}: access denied (HTTP 403): ` +
        "the credentials do not allow it, or the bucket is another account's\n",
    );
  });

  it("take every request from a bucket that holds the widgets too", async () => {
    // Given 80 requests in a bucket that is also the widget bucket, whose state
    // and widget keys (under prefixes) sort before the requests' digits
    const bucket = await s3.createBucket();
    const producer = startCli(
      [
        "producer",
        ...["--request-bucket", bucket, "--endpoint-url", s3.endpoint],
        ...["--max-widget-requests", "80", "--inter-request-delay", "0", "--seed", "5"],
      ],
      { env: S3RVER_ENV },
    );
    assert.equal((await producer.exited).code, 0, producer.stderr());

    // When a consumer takes from it and writes widgets into it
    const consumer = startCli(
      [
        "consumer",
        ...["--request-bucket", bucket, "--widget-bucket", bucket, "--endpoint-url", s3.endpoint],
      ],
      { env: S3RVER_ENV },
    );
    const requestsLeft = async () => (await keysIn(bucket)).filter((key) => !key.includes("/"));
    try {
      // Then every request is taken (it stopped after about 20 widgets)
      const deadline = Date.now() + 60_000;
      while ((await requestsLeft()).length > 0) {
        assert.ok(Date.now() < deadline, `requests left: ${(await requestsLeft()).length}`);
        await sleep(200);
      }
    } finally {
      assert.equal((await consumer.stop("SIGTERM")).code, 0);
    }
    assert.ok((await keysIn(bucket)).length > 20, "the widgets are in the bucket");
  });

  it("refuse at start, in one line, to write widgets at the top of their request bucket", async () => {
    // Given a bucket holding one request
    const bucket = await s3.createBucket();
    const request = { type: "create", requestId: "r1", widgetId: "w1", owner: "Sue Smith" };
    await s3.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "1612306375100", Body: JSON.stringify(request) }),
    );

    for (const prefix of ["", "widgets"]) {
      // When a consumer is told to keep widgets in it as <prefix><id>
      const consumer = startCli(
        [
          "consumer",
          ...["--request-bucket", bucket, "--widget-bucket", bucket, "--endpoint-url", s3.endpoint],
          ...["--widget-key-prefix", prefix, "--no-use-owner-in-prefix", "--max-runtime", "5000"],
        ],
        { env: S3RVER_ENV },
      );
      const exit = await consumer.exited;

      // Then it says why and exits 2, and the request is still there, untaken
      assert.equal(exit.code, 2, exit.stderr);
      assert.equal(
        exit.stderr,
        `mailroom: --widget-bucket ${bucket} is the request bucket: with --widget-key-prefix ` +
          `${JSON.stringify(prefix)} and --no-use-owner-in-prefix each widget's key (${prefix}<id>) ` +
          "would be at its top, where the consumer takes requests from, and would take them for " +
          "requests; give a --widget-key-prefix with a /, such as widgets/, or keep the owner in the key\n",
      );
      assert.deepEqual(await keysIn(bucket), ["1612306375100"]);
    }
  });

  it("take every request once, and end in the expected widgets", async () => {
    // Given: the producer's requests in a bucket, plus one invalid request.
    const bucket = await s3.createBucket();
    const work = await mkdtemp(join(tmpdir(), "mailroom-bucket-source-"));
    tempDirs.push(work);
    const expectedFile = join(work, "expected.json");
    const producer = startCli(
      [
        "producer",
        ...["--request-bucket", bucket, "--endpoint-url", s3.endpoint],
        ...["--max-widget-requests", "150", "--inter-request-delay", "0", "--seed", "77"],
        ...["--expected-out", expectedFile],
      ],
      { env: S3RVER_ENV },
    );
    assert.equal((await producer.exited).code, 0, producer.stderr());
    await s3.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "1612306375135", Body: '{"type":"bad"}' }),
    );

    // When: two consumers take from the bucket at once until it is empty.
    const widgetDir = join(work, "widgets");
    const consumers = [1, 2].map(() =>
      startCli(
        [
          "consumer",
          ...["--request-bucket", bucket, "--endpoint-url", s3.endpoint],
          ...["--widget-dir", widgetDir, "--log-file", join(work, `consumer-${Math.random()}.log`)],
        ],
        { env: S3RVER_ENV },
      ),
    );
    const deadline = Date.now() + 90_000;
    let exits: CliExit[];
    try {
      while ((await keysIn(bucket)).some((key) => !key.startsWith("rejected/"))) {
        assert.ok(Date.now() < deadline, "the consumers did not empty the bucket in time");
        await sleep(200);
      }
    } finally {
      // Stopped in every case, so a failure cannot leave the test process waiting on them.
      exits = await Promise.all(consumers.map((consumer) => consumer.stop("SIGTERM")));
    }

    // Then: both stopped cleanly, the widgets are the expected ones...
    for (const exit of exits) assert.equal(exit.code, 0, exit.stderr);
    const expected = JSON.parse(await readFile(expectedFile, "utf8")) as { widgets: Widget[] };
    const widgets: Widget[] = [];
    for await (const widget of new LocalFolderStore(widgetDir).list()) widgets.push(widget);
    const comparison = compareWidgets(new Map(expected.widgets.map((w) => [w.id, w])), widgets);
    assert.deepEqual(
      {
        missing: comparison.missing,
        unexpected: comparison.unexpected,
        different: comparison.different,
      },
      { missing: [], unexpected: [], different: [] },
    );
    // ...and the invalid request was moved aside under rejected/ with its reason.
    assert.deepEqual(await keysIn(bucket), [
      "rejected/1612306375135",
      "rejected/1612306375135.reason",
    ]);
    const reason = await s3.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: "rejected/1612306375135.reason" }),
    );
    assert.match(
      await reason.Body!.transformToString(),
      /^invalid request: type is missing|requestId|type must be/,
    );
  });
});
