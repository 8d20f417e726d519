import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../support/broker-harness.ts";
import type { TestBroker } from "../support/broker-harness.ts";

describe("broker over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  it("delivers a sent message to a receiver", async () => {
    const QueueUrl = await broker.createQueue();
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
    const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(Messages?.[0]?.Body, "hello");
  });
});
