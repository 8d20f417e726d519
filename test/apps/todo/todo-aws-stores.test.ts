import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ListObjectsCommand } from "@aws-sdk/client-s3";
import type { JobRecord } from "../../../src/apps/jobs/job-record.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { runCli } from "../../support/cli-process.ts";
import type { CliProcess } from "../../support/cli-process.ts";
import { startDynamoServer } from "../../support/dynamo-server.ts";
import type { TestDynamoServer } from "../../support/dynamo-server.ts";
import { startS3Server } from "../../support/s3-server.ts";
import type { TestS3Server } from "../../support/s3-server.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { parseIcs } from "./parse-ics.ts";
import { call, startTodoApp, startWorker } from "./todo-processes.ts";

/** s3rver takes only its own key; the broker and dynalite take any. */
const S3RVER_ENV = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

describe(
  "mailroom todo and worker with AWS's stores: calendars in S3, job records in DynamoDB",
  { timeout: 120_000 },
  () => {
    let broker: TestBroker;
    let s3: TestS3Server;
    let dynamo: TestDynamoServer;
    const dataDir = mkdtempSync(join(tmpdir(), "mailroom-todo-aws-"));
    const processes: CliProcess[] = [];

    before(async () => {
      [broker, s3, dynamo] = await Promise.all([
        startTestBroker({ clock: systemClock }),
        startS3Server(),
        startDynamoServer(),
      ]);
    });
    after(async () => {
      for (const cli of processes) await cli.stop("SIGKILL");
      await Promise.all([broker?.close(), s3?.close(), dynamo?.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("renders into the bucket and records jobs in the table, as the same commands would on AWS", async () => {
      const bucket = await s3.createBucket();
      const flags = [
        "--s3-endpoint-url",
        s3.endpoint,
        "--dynamodb-endpoint-url",
        dynamo.endpoint,
        "--calendar-bucket",
        bucket,
        "--results-table",
        `jobs-${randomBytes(3).toString("hex")}`,
        "--queue",
        broker.uniqueName("todo"),
      ];
      const app = await startTodoApp(broker.endpoint, dataDir, flags, S3RVER_ENV);
      processes.push(app.cli);
      processes.push(await startWorker(broker.endpoint, dataDir, flags, S3RVER_ENV));
      assert.match(app.cli.stdout(), /job results: DynamoDB table jobs-/);
      assert.match(app.cli.stdout(), new RegExp(`calendars: s3://${bucket}/calendars/`));

      const added = await call<{ calendarJob: { id: string } }>(`${app.url}/users/erin/items`, {
        method: "POST",
        body: [
          { title: "Book flights", due: "2027-01-10" },
          { title: "Pack", due: "2027-01-11T08:00" },
        ],
      });
      const jobId = added.json.calendarJob.id;
      await waitUntil(
        async () => (await call<JobRecord>(`${app.url}/jobs/${jobId}`)).json.status === "succeeded",
        20_000,
        "the render",
      );
      const ics = await fetch(`${app.url}/users/erin/calendar.ics`);
      assert.equal(ics.status, 200);
      assert.deepEqual(
        parseIcs(await ics.text()).events.map((event) => [event.summary, event.start]),
        [
          ["Book flights", "2027-01-10"],
          ["Pack", "2027-01-11T08:00:00"],
        ],
      );
      const { Contents = [] } = await s3.s3.send(new ListObjectsCommand({ Bucket: bucket }));
      assert.deepEqual(
        Contents.map((object) => object.Key),
        ["calendars/erin/000000000001.ics"],
      );
    });

    it("refuses a calendar bucket that does not exist at start, in one line, app and worker alike", async () => {
      const common = [
        "--endpoint-url",
        broker.endpoint,
        "--s3-endpoint-url",
        s3.endpoint,
        "--data-dir",
        dataDir,
        "--queue",
        broker.uniqueName("todo"),
        "--calendar-bucket",
        "nobucket",
      ];
      for (const args of [
        ["todo", "--port", "0", ...common],
        ["worker", ...common],
      ]) {
        const exit = await runCli(args, { env: S3RVER_ENV, timeoutMs: 30_000 });
        const command = args[0];
        assert.equal(exit.code, 1, `${command}: ${exit.stdout}${exit.stderr}`);
        assert.equal(exit.stderr.trim(), "mailroom: Unable to find a bucket by this name nobucket");
      }
    });
  },
);
