import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../../src/broker/engine/manual-clock.ts";
import { SqsEngine } from "../../../src/broker/engine/sqs-engine.ts";
import { actions } from "../../../src/broker/protocol/actions/index.ts";
import { jsonString } from "../../../src/broker/protocol/json/json-text.ts";
import { jsonWriterOf } from "../../../src/broker/protocol/json/json-writer.ts";
import { xmlText } from "../../../src/broker/protocol/query/xml-text.ts";
import type { Members, Shape } from "../../../src/broker/protocol/shapes.ts";
import { MemoryStore } from "../../../src/broker/storage/memory-store.ts";

/** Binary values leave as base64 in both protocols. */
const asWire = (output: object): unknown =>
  JSON.parse(
    JSON.stringify(output, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
    ),
  );

/**
 * The JSON writers compiled from each action's output members must write
 * the same value JSON.stringify would (members in AWS's model order rather
 * than the engine's, binaries as base64), for every kind of output.
 */
describe("compiled JSON outputs", () => {
  const BODIES = [
    "plain widget request",
    'quotes " and backslashes \\ and a slash /',
    "the controls SQS allows: \t \n \r, and DEL \u007f",
    "unicode é ✓ 🚀 and U+FFFD \ufffd",
    "x".repeat(5000),
  ];
  const ATTRIBUTES = {
    Text: { DataType: "String", StringValue: 'with "quotes" ✓' },
    Count: { DataType: "Number.int", StringValue: "42" },
    Blob: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 254, 255) },
  };

  const sameAsStringify = (name: string, output: object): void => {
    const members = actions.get(name)!.output;
    const text = jsonWriterOf(members)(output);
    assert.deepEqual(JSON.parse(text), asWire(output), `${name}: ${text}`);
    assertPlainIsPlain(members, output);
  };

  const engineWithQueues = (): SqsEngine => {
    const engine = new SqsEngine({ store: new MemoryStore(), clock: new ManualClock() });
    engine.createQueue("standard");
    engine.createQueue("ordered.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    return engine;
  };

  it("jsonString quotes every UTF-16 code unit as JSON.stringify does", () => {
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}z`;
      assert.equal(jsonString(text), JSON.stringify(text), `U+${code.toString(16)}`);
    }
    assert.equal(jsonString("🚀 pair"), JSON.stringify("🚀 pair"));
    assert.equal(jsonString(""), JSON.stringify(""));
  });

  it("SendMessage and SendMessageBatch, with and without attributes, standard and FIFO", () => {
    const engine = engineWithQueues();
    for (const body of BODIES) {
      sameAsStringify("SendMessage", engine.sendMessage("standard", { MessageBody: body }, "me"));
      sameAsStringify(
        "SendMessage",
        engine.sendMessage(
          "standard",
          {
            MessageBody: body,
            MessageAttributes: ATTRIBUTES,
            MessageSystemAttributes: {
              AWSTraceHeader: { DataType: "String", StringValue: "Root=1" },
            },
          },
          "me",
        ),
      );
      sameAsStringify(
        "SendMessage",
        engine.sendMessage("ordered.fifo", { MessageBody: body, MessageGroupId: "g" }, "me"),
      );
    }
    const entries = BODIES.map((body, i) => ({
      Id: `entry_${i}-x`,
      MessageBody: body,
      ...(i % 2 === 0 ? { MessageAttributes: ATTRIBUTES } : {}),
    }));
    sameAsStringify("SendMessageBatch", engine.sendMessageBatch("standard", entries, "me"));
    // A failed entry (a delay a FIFO queue refuses) brings in the Failed list.
    sameAsStringify(
      "SendMessageBatch",
      engine.sendMessageBatch(
        "ordered.fifo",
        [
          { Id: "ok", MessageBody: "fine", MessageGroupId: "g" },
          { Id: "bad", MessageBody: "late", MessageGroupId: "g", DelaySeconds: 5 },
        ],
        "me",
      ),
    );
  });

  it("ReceiveMessage with every kind of attribute, and empty", async () => {
    const engine = engineWithQueues();
    const receive = actions.get("ReceiveMessage")!;
    const context = {
      engine,
      queueName: (url: string) => url,
      senderId: "me",
      traceHeader: undefined,
      queueUrl: (name: string) => name,
      queueUrlAt: (path: string) => path,
      onAbandon: () => undefined,
    };
    const outputOf = async (input: Record<string, unknown>): Promise<object> =>
      await receive.run(context, { MaxNumberOfMessages: 10, ...input });

    sameAsStringify("ReceiveMessage", await outputOf({ QueueUrl: "standard" }));
    for (const body of BODIES) {
      engine.sendMessage(
        "standard",
        {
          MessageBody: body,
          MessageAttributes: ATTRIBUTES,
          MessageSystemAttributes: {
            AWSTraceHeader: { DataType: "String", StringValue: "Root=1" },
          },
        },
        "me",
      );
      engine.sendMessage(
        "ordered.fifo",
        { MessageBody: body, MessageGroupId: `g-${body.length}` },
        "me",
      );
    }
    sameAsStringify(
      "ReceiveMessage",
      await outputOf({
        QueueUrl: "standard",
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    engine.purgeQueue("standard");
    for (const body of BODIES)
      engine.sendMessage("standard", { MessageBody: body, MessageAttributes: ATTRIBUTES }, "me");
    sameAsStringify(
      "ReceiveMessage",
      await outputOf({ QueueUrl: "standard", MessageAttributeNames: ["Te.*"] }),
    );
    sameAsStringify(
      "ReceiveMessage",
      await outputOf({
        QueueUrl: "ordered.fifo",
        AttributeNames: ["SequenceNumber", "MessageGroupId"],
      }),
    );
  });

  it("DeleteMessageBatch and ChangeMessageVisibilityBatch, with failed entries", () => {
    const engine = engineWithQueues();
    for (const body of BODIES) engine.sendMessage("standard", { MessageBody: body }, "me");
    const handles = engine.receiveMessage("standard", { MaxNumberOfMessages: 10 }) as Array<{
      ReceiptHandle: string;
    }>;
    const entries = handles.map((m, i) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle }));
    sameAsStringify(
      "ChangeMessageVisibilityBatch",
      engine.changeMessageVisibilityBatch("standard", [
        ...entries.map((e) => ({ ...e, VisibilityTimeout: 60 })),
        { Id: "bad", ReceiptHandle: "garbage", VisibilityTimeout: 60 },
      ]),
    );
    sameAsStringify(
      "DeleteMessageBatch",
      engine.deleteMessageBatch("standard", [...entries, { Id: "bad", ReceiptHandle: "garbage" }]),
    );
  });
});

/**
 * Every value an output shape calls plain (written without an escape scan)
 * must need no escaping in either protocol.
 */
function assertPlainIsPlain(members: Members, value: object): void {
  const visit = (shape: Shape, item: unknown): void => {
    if (item === undefined || item === null) return;
    if (shape.type === "string" && shape.plain) {
      assert.equal(JSON.stringify(item), `"${item as string}"`, `plain in JSON: ${String(item)}`);
      assert.equal(xmlText(item as string), item, `plain in XML: ${String(item)}`);
    } else if (shape.type === "list") {
      for (const entry of item as unknown[]) visit(shape.member, entry);
    } else if (shape.type === "map") {
      for (const entry of Object.values(item as object)) visit(shape.value, entry);
    } else if (shape.type === "structure") {
      for (const [name, member] of Object.entries(shape.members)) {
        visit(member.shape, (item as Record<string, unknown>)[name]);
      }
    }
  };
  visit({ type: "structure", members }, value);
}
