import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { listObjectKeys } from "../../../src/apps/aws/list-object-keys.ts";
import { startS3Server } from "../../support/s3-server.ts";
import type { TestS3Server } from "../../support/s3-server.ts";

let s3: TestS3Server;
before(async () => {
  s3 = await startS3Server();
});
after(() => s3.close());

async function allKeys(pages: AsyncIterable<string[]>): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of pages) keys.push(...page);
  return keys;
}

describe("listing a bucket's keys a page at a time", () => {
  it("lists every key, in order, across pages", async () => {
    const bucket = await s3.createBucket();
    const all = Array.from({ length: 45 }, (_, n) => `k${String(n).padStart(3, "0")}`);
    for (const Key of all) {
      await s3.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "" }));
    }
    assert.deepEqual(await allKeys(listObjectKeys(s3.s3, bucket, { pageSize: 20 })), all);
  });
});
