import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { AppError } from "../../../src/apps/app-error.ts";
import { createS3Client } from "../../../src/apps/aws/s3-client.ts";
import { openWidgetStore } from "../../../src/apps/stores/open-widget-store.ts";
import { S3WidgetStore } from "../../../src/apps/stores/s3-widget-store.ts";
import { ownerKey } from "../../../src/widgets/owner-key.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { startS3Server } from "../../support/s3-server.ts";
import type { TestS3Server } from "../../support/s3-server.ts";
import {
  applyTo,
  collect,
  courseJson,
  createOf,
  deleteOf,
  describeWidgetStoreContract,
  updateOf,
  widget,
} from "./widget-store-contract.ts";

describeWidgetStoreContract("S3WidgetStore", async () => {
  const server = await startS3Server();
  return {
    unstorable: { owner: "A".repeat(1_100) },
    hasKeyLayout: true,
    async open({ keyPrefix = "widgets/", ownerInKey = true } = {}) {
      const bucket = await server.createBucket();
      const open = () => new S3WidgetStore({ s3: server.s3, bucket, keyPrefix, ownerInKey });
      const keyOf = (stored: Widget) =>
        `${keyPrefix}${ownerInKey ? `${ownerKey(stored.owner)}/` : ""}${stored.id}`;
      return {
        store: open(),
        reopen: async () => open(),
        async assertStored(stored: Widget) {
          const object = await getObject(server, bucket, keyOf(stored));
          assert.deepEqual(JSON.parse(object.body), courseJson(stored));
          assert.equal(object.contentType, "application/json");
          assert.deepEqual(object.metadata, {});
          assert.equal(
            (await keysUnder(server, bucket, `.mailroom/states/${stored.id}/`)).length,
            1,
          );
        },
        async storeForeign(stored: Widget) {
          await server.s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keyOf(stored),
              Body: JSON.stringify(stored),
            }),
          );
        },
      };
    },
    dispose: () => server.close(),
  };
});

describe("S3WidgetStore", () => {
  let server: TestS3Server;
  let bucket: string;
  let store: S3WidgetStore;

  before(async () => {
    server = await startS3Server();
    bucket = await server.createBucket();
    store = new S3WidgetStore({ s3: server.s3, bucket });
  });
  after(() => server.close());

  it("keeps one state object per widget, deletes included, and no widget object after a delete", async () => {
    const gone = widget();
    await applyTo(store, createOf(gone));
    await applyTo(store, updateOf(gone, { label: "changed" }));

    await applyTo(store, deleteOf(gone));

    assert.equal((await keysUnder(server, bucket, `.mailroom/states/${gone.id}/`)).length, 1);
    assert.deepEqual(await keysUnder(server, bucket, "widgets/"), []);
  });

  it("a repeat delivery written late never leaves the widget behind a newer change", async () => {
    // Given a widget at v1, and a consumer whose widget writes wait until released
    const target = widget({ label: "v0" });
    await applyTo(store, createOf(target), 1);
    const u1 = updateOf(target, { label: "v1" });
    await applyTo(store, u1, 2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const reachedWrite = new Promise<void>((resolve) => (reached = resolve));
    const slow = createS3Client(server.connection);
    slow.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "PutObjectCommand") {
          const key = (args.input as { Key?: string }).Key ?? "";
          if (key.startsWith("widgets/")) {
            reached();
            await held;
          }
        }
        return next(args);
      },
      { step: "initialize" },
    );
    const late = new S3WidgetStore({ s3: slow, bucket });

    // When it gets u1 again while the other consumer applies u2
    const repeat = applyTo(late, u1, 2);
    await reachedWrite;
    await applyTo(store, updateOf(target, { label: "v2" }), 3);
    release();
    await repeat;
    slow.destroy();

    // Then the widget shows u2
    assert.equal((await store.read(target))?.label, "v2");
  });

  it("lists only widget keys under the prefix, skipping other objects", async () => {
    const other = await server.createBucket();
    const listed = new S3WidgetStore({ s3: server.s3, bucket: other });
    const stored = widget();
    await applyTo(listed, createOf(stored));
    const put = (Key: string, Body: string) =>
      server.s3.send(new PutObjectCommand({ Bucket: other, Key, Body }));
    await put("widgets/README", "a note beside the owners");
    await put(`widgets/mary-matthews/${stored.id}/extra`, "deeper than a widget");
    await put("widgets/mary-matthews/not-json", "{");
    const misfiled = widget({ owner: "Sue Smith" });
    await put(`widgets/john-jones/${misfiled.id}`, JSON.stringify(misfiled));

    assert.deepEqual(await collect(listed.list()), [stored]);
  });

  it("names a missing bucket in one line, keeping the SDK error as the cause", async () => {
    const lost = new S3WidgetStore({ s3: server.s3, bucket: "no-such-bucket" });

    for (const attempt of [
      () => applyTo(lost, createOf(widget())),
      () => lost.read(widget()),
      () => collect(lost.list()),
    ]) {
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.message, "The widget bucket no-such-bucket does not exist");
        assert.equal((error.cause as Error).name, "NoSuchBucket");
        return true;
      });
    }
  });

  it("is what openWidgetStore opens for kind s3, with a client of its own", async () => {
    const opened = await openWidgetStore({ kind: "s3", bucket }, server.connection);
    const stored = widget();
    await applyTo(opened, createOf(stored));

    assert.equal(opened.kind, "S3");
    assert.equal(opened.location, `s3://${bucket}/widgets/`);
    assert.deepEqual(await store.read(stored), stored);
    await opened.close();
  });
});

async function getObject(server: TestS3Server, bucket: string, key: string) {
  const response = await server.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: await response.Body!.transformToString(),
    contentType: response.ContentType,
    metadata: response.Metadata,
  };
}

async function keysUnder(server: TestS3Server, bucket: string, prefix: string) {
  const response = await server.s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }),
  );
  return (response.Contents ?? []).map(({ Key }) => Key);
}
