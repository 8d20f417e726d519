import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import type { MessageAttributeValue, ReceiveMessageCommandInput } from "@aws-sdk/client-sqs";
import { md5OfAttributes, md5OfBody } from "../../support/sqs-md5.ts";
import { startTestBroker, testProtocol } from "../../support/broker-harness.ts";
import { expectSqsError } from "../../support/sqs-errors.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

// Expected values follow docs/reference/aws-sqs-behaviour.md (§4, §5 and "Checksums").

const ALLOWED_CHARACTERS = "#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]";
const TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
/** Recorded against AWS for TRACE_HEADER (reference §4, MessageSystemAttributes). */
const TRACE_HEADER_MD5 = "5ae4d5d7636402d80f4eb6d213245a88";

const ATTRIBUTES: Record<string, MessageAttributeValue> = {
  Hello: { DataType: "String", StringValue: "world" },
  Help: { DataType: "Number.float", StringValue: "1.5" },
  Blob: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 2, 254, 255) },
  "attr.custom": { DataType: "String.custom", StringValue: "ünïcødé 😀" },
};

describe("send, receive and delete over the wire", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  const send = (QueueUrl: string, MessageBody: string, extra: object = {}) =>
    broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, ...extra }));
  const receive = (QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}) =>
    broker.sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }));
  const counts = async (QueueUrl: string) => {
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return Attributes;
  };

  describe("send, receive, delete", () => {
    it("delivers the body and message id, then forgets the message once deleted", async () => {
      // Given a queue holding one message
      const QueueUrl = await broker.createQueue();
      const sent = await send(QueueUrl, "hello world");
      assert.match(sent.MessageId ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(sent.MD5OfMessageBody, md5OfBody("hello world"));
      assert.equal(sent.SequenceNumber, undefined, "SequenceNumber is FIFO only");

      // When it is received
      const { Messages } = await receive(QueueUrl);
      assert.equal(Messages?.length, 1);
      const [message] = Messages!;
      assert.equal(message!.MessageId, sent.MessageId);
      assert.equal(message!.Body, "hello world");
      assert.equal(message!.MD5OfBody, md5OfBody("hello world"));
      assert.ok(message!.ReceiptHandle);
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "1",
      });

      // Then deleting it removes it for good, even after its visibility timeout
      await broker.sqs.send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }),
      );
      broker.clock.advance(31_000);
      assert.equal((await receive(QueueUrl)).Messages, undefined);
      assert.deepEqual(await counts(QueueUrl), {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
      });
    });

    it("answers an empty queue without a Messages key", async () => {
      const QueueUrl = await broker.createQueue();
      const output = await receive(QueueUrl);
      assert.equal("Messages" in output, false);
    });

    it("refuses an empty body with MissingParameter", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(send(QueueUrl, ""), {
        code: "MissingParameter",
        message: "The request must contain the parameter MessageBody.",
      });
    });
  });

  describe("checksums", () => {
    it("computes the reference MD5 for a known attribute set (checks this test's own helper)", () => {
      assert.equal(
        md5OfAttributes({ AWSTraceHeader: { DataType: "String", StringValue: TRACE_HEADER } }),
        TRACE_HEADER_MD5,
      );
    });

    it("returns MD5OfMessageAttributes over String, custom Number, Binary and custom types", async () => {
      const QueueUrl = await broker.createQueue();
      const sent = await send(QueueUrl, "with attributes", { MessageAttributes: ATTRIBUTES });
      assert.equal(sent.MD5OfMessageBody, md5OfBody("with attributes"));
      assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(ATTRIBUTES));

      const { Messages } = await receive(QueueUrl, { MessageAttributeNames: ["All"] });
      const message = Messages![0]!;
      assert.equal(message.MD5OfMessageAttributes, md5OfAttributes(ATTRIBUTES));
      assert.deepEqual(normalise(message.MessageAttributes), normalise(ATTRIBUTES));
    });

    it("omits MD5OfMessageAttributes and MessageAttributes when there are none", async () => {
      const QueueUrl = await broker.createQueue();
      const sent = await send(QueueUrl, "plain");
      assert.equal("MD5OfMessageAttributes" in sent, false);
      assert.equal("MD5OfMessageSystemAttributes" in sent, false);

      const { Messages } = await receive(QueueUrl, { MessageAttributeNames: ["All"] });
      const message = Messages![0]!;
      assert.equal("MD5OfMessageAttributes" in message, false);
      assert.equal("MessageAttributes" in message, false);
    });

    const filters: { names: string[] | undefined; returned: string[] }[] = [
      { names: ["All"], returned: Object.keys(ATTRIBUTES) },
      { names: [".*"], returned: Object.keys(ATTRIBUTES) },
      { names: ["*"], returned: Object.keys(ATTRIBUTES) },
      { names: ["Hel.*"], returned: ["Hello", "Help"] },
      { names: ["Blob"], returned: ["Blob"] },
      { names: ["Hello", "attr.custom", "Unknown"], returned: ["Hello", "attr.custom"] },
      { names: ["Unknown"], returned: [] },
      { names: ["AWS.", "..foo"], returned: [] },
      { names: undefined, returned: [] },
    ];
    for (const { names, returned } of filters) {
      it(`MessageAttributeNames ${JSON.stringify(names ?? "absent")} returns ${JSON.stringify(returned)} with an MD5 over just those`, async () => {
        // Given a message with four attributes, received with visibility 0 so it stays visible
        const QueueUrl = await broker.createQueue();
        await send(QueueUrl, "filtered", { MessageAttributes: ATTRIBUTES });

        // When it is received with the filter
        const { Messages } = await receive(QueueUrl, {
          VisibilityTimeout: 0,
          ...(names ? { MessageAttributeNames: names } : {}),
        });

        // Then only the selected attributes come back, and the checksum covers exactly them
        const message = Messages![0]!;
        if (returned.length === 0) {
          assert.equal("MessageAttributes" in message, false);
          assert.equal("MD5OfMessageAttributes" in message, false);
          return;
        }
        const expected = Object.fromEntries(returned.map((n) => [n, ATTRIBUTES[n]!]));
        assert.deepEqual(normalise(message.MessageAttributes), normalise(expected));
        assert.equal(message.MD5OfMessageAttributes, md5OfAttributes(expected));
      });
    }
  });

  describe("system attributes", () => {
    it("returns SenderId, SentTimestamp, ApproximateReceiveCount and ApproximateFirstReceiveTimestamp", async () => {
      // Given a message sent at t0 and first received 5 s later
      const QueueUrl = await broker.createQueue({ VisibilityTimeout: "0" });
      const sentAt = broker.clock.now();
      await send(QueueUrl, "stamped");
      broker.clock.advance(5_000);
      const firstReceiveAt = broker.clock.now();
      const first = await receive(QueueUrl, { MessageSystemAttributeNames: ["All"] });

      // Then the timestamps are epoch milliseconds as integer strings
      const attributes = first.Messages![0]!.Attributes!;
      assert.ok(attributes.SenderId, "SenderId is present");
      assert.equal(attributes.SentTimestamp, String(sentAt));
      assert.equal(attributes.ApproximateFirstReceiveTimestamp, String(firstReceiveAt));
      assert.equal(attributes.ApproximateReceiveCount, "1");
      assert.equal(attributes.SequenceNumber, undefined, "not applicable names are omitted");
      assert.equal(attributes.MessageGroupId, undefined);

      // When it is received again later, the first-receive time stays put and the count grows
      broker.clock.advance(5_000);
      const second = await receive(QueueUrl, {
        MessageSystemAttributeNames: [
          "ApproximateReceiveCount",
          "ApproximateFirstReceiveTimestamp",
        ],
      });
      assert.deepEqual(second.Messages![0]!.Attributes, {
        ApproximateReceiveCount: "2",
        ApproximateFirstReceiveTimestamp: String(firstReceiveAt),
      });
    });

    it("returns no Attributes unless asked", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "quiet");
      const { Messages } = await receive(QueueUrl);
      assert.equal("Attributes" in Messages![0]!, false);
    });

    it("accepts AWSTraceHeader, answers MD5OfMessageSystemAttributes, and leaves the user MD5 alone", async () => {
      // Given a message with one user attribute and a trace header
      const QueueUrl = await broker.createQueue();
      const user = { Hello: ATTRIBUTES.Hello! };
      const sent = await send(QueueUrl, "traced", {
        MessageAttributes: user,
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: "String", StringValue: TRACE_HEADER },
        },
      });

      // Then the system checksum is AWS's recorded value and the user checksum ignores the trace
      assert.equal(sent.MD5OfMessageSystemAttributes, TRACE_HEADER_MD5);
      assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(user));

      // And the trace header comes back as a system attribute
      const { Messages } = await receive(QueueUrl, {
        MessageSystemAttributeNames: ["AWSTraceHeader"],
        MessageAttributeNames: ["All"],
      });
      const message = Messages![0]!;
      assert.deepEqual(message.Attributes, { AWSTraceHeader: TRACE_HEADER });
      assert.equal(message.MD5OfMessageAttributes, md5OfAttributes(user));
    });

    it("rejects an AWSTraceHeader with a character the body may not hold", async () => {
      const QueueUrl = await broker.createQueue();
      for (const StringValue of ["Root=1-\u0001", "Root=1-\uFFFE"]) {
        await expectSqsError(
          send(QueueUrl, "traced", {
            MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue } },
          }),
          {
            code: "InvalidParameterValue",
            message: "Message system attribute 'AWSTraceHeader' value contains invalid characters.",
          },
        );
      }
    });

    it("omits MD5OfMessageAttributes when only a trace header is sent", async () => {
      const QueueUrl = await broker.createQueue();
      const sent = await send(QueueUrl, "traced only", {
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: "String", StringValue: TRACE_HEADER },
        },
      });
      assert.equal(sent.MD5OfMessageSystemAttributes, TRACE_HEADER_MD5);
      assert.equal("MD5OfMessageAttributes" in sent, false);
    });
  });

  describe("body characters", () => {
    it("rejects a control character with InvalidMessageContents and AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(send(QueueUrl, "bell\u0007"), {
        code: "InvalidMessageContents",
        message: `Invalid binary character '#x7' was found in the message body, the set of allowed characters is ${ALLOWED_CHARACTERS}.`,
      });
    });

    for (const [label, body] of [
      ["U+0001", "a\u0001b"],
      ["U+FFFE", "a\uFFFEb"],
      ["U+FFFF", "a\uFFFFb"],
      ["a lone surrogate", "a\uD800b"],
    ] as const) {
      // A form body is UTF-8, which has no lone surrogates: a Query client cannot send one.
      const unsendable = testProtocol === "query" && label === "a lone surrogate";
      it(`rejects ${label} with InvalidMessageContents`, { skip: unsendable }, async () => {
        const QueueUrl = await broker.createQueue();
        await expectSqsError(send(QueueUrl, body), { code: "InvalidMessageContents" });
      });
    }

    it("accepts tab, newline, carriage return, BMP edges and astral characters", async () => {
      const QueueUrl = await broker.createQueue();
      const body = "tab\tnl\ncr\r \uD7FF\uE000\uFFFD 😀 𝄞 \u{10FFFF}";
      const sent = await send(QueueUrl, body);
      assert.equal(sent.MD5OfMessageBody, md5OfBody(body));
      const { Messages } = await receive(QueueUrl);
      assert.equal(Messages![0]!.Body, body);
      assert.equal(Messages![0]!.MD5OfBody, md5OfBody(body));
    });
  });

  describe("size limit", () => {
    const LIMIT = 1_048_576;
    // size = body bytes + name + type + value of each attribute: "a" + "String" + "xyz" = 10
    const attribute = { a: { DataType: "String", StringValue: "xyz" } };

    it("accepts body plus attributes of exactly 1 MiB", async () => {
      const QueueUrl = await broker.createQueue();
      const body = "x".repeat(LIMIT - 10);
      const sent = await send(QueueUrl, body, { MessageAttributes: attribute });
      assert.equal(sent.MD5OfMessageBody, md5OfBody(body));
      const { Messages } = await receive(QueueUrl);
      assert.equal(Messages![0]!.Body!.length, LIMIT - 10);
    });

    it("rejects one byte more with AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(
        send(QueueUrl, "x".repeat(LIMIT - 9), { MessageAttributes: attribute }),
        {
          code: "InvalidParameterValue",
          message:
            "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
        },
      );
    });

    it("counts UTF-8 bytes, not characters", async () => {
      const QueueUrl = await broker.createQueue();
      await send(QueueUrl, "é".repeat(LIMIT / 2));
      await expectSqsError(send(QueueUrl, "é".repeat(LIMIT / 2) + "x"), {
        code: "InvalidParameterValue",
        message:
          "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
      });
    });

    it("applies a queue MaximumMessageSize of 1024, also right after SetQueueAttributes", async () => {
      const tooLong = {
        code: "InvalidParameterValue",
        message:
          "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
      };
      const created = await broker.createQueue({ MaximumMessageSize: "1024" });
      await send(created, "x".repeat(1024));
      await expectSqsError(send(created, "x".repeat(1025)), tooLong);

      const updated = await broker.createQueue();
      await send(updated, "x".repeat(1025));
      await broker.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: updated,
          Attributes: { MaximumMessageSize: "1024" },
        }),
      );
      await expectSqsError(send(updated, "x".repeat(1025)), tooLong);
      await expectSqsError(
        send(updated, "x".repeat(1015), { MessageAttributes: { ...attribute } }),
        tooLong,
      );
    });
  });

  describe("message attribute rules", () => {
    it("rejects an empty String value with AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(
        send(QueueUrl, "body", {
          MessageAttributes: { ErrorDetails: { DataType: "String", StringValue: "" } },
        }),
        {
          code: "InvalidParameterValue",
          message:
            "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
        },
      );
    });

    it("rejects an unknown data type with AWS's text", async () => {
      const QueueUrl = await broker.createQueue();
      await expectSqsError(
        send(QueueUrl, "body", {
          MessageAttributes: { "my-attribute": { DataType: "Integer", StringValue: "1" } },
        }),
        {
          code: "InvalidParameterValue",
          message:
            "The type of message (user) attribute 'my-attribute' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
        },
      );
    });

    for (const [label, DataType] of [
      ["U+0001", "String.\u0001"],
      ["U+FFFF", "Number.\uFFFF"],
      ["a lone surrogate", "String.\uD800"],
    ] as const) {
      // A form body is UTF-8, which has no lone surrogates: a Query client cannot send one.
      const unsendable = testProtocol === "query" && label === "a lone surrogate";
      it(
        `rejects a data type with ${label}, as it would the body`,
        { skip: unsendable },
        async () => {
          const QueueUrl = await broker.createQueue();
          await expectSqsError(
            send(QueueUrl, "body", { MessageAttributes: { kind: { DataType, StringValue: "1" } } }),
            {
              code: "InvalidParameterValue",
              message: "Message (user) attribute 'kind' type contains invalid characters.",
            },
          );
        },
      );
    }

    it("takes a Number of up to 38 significant digits, as SQS documents, and refuses 39", async () => {
      const QueueUrl = await broker.createQueue();
      const number = (StringValue: string) =>
        send(QueueUrl, "body", {
          MessageAttributes: { amount: { DataType: "Number", StringValue } },
        });
      for (const ok of ["1".repeat(38), `-0.00${"9".repeat(38)}`, `1${"0".repeat(60)}`, "1.5e-7"]) {
        assert.ok((await number(ok)).MessageId, ok);
      }
      await expectSqsError(number("1".repeat(39)), {
        code: "InvalidParameterValue",
        message: "Can't cast the value of message (user) attribute 'amount' to a number.",
      });
    });

    it("takes a Number from 10^-128 to 10^+126 in magnitude, both included, read off its digits", async () => {
      const QueueUrl = await broker.createQueue();
      const number = (StringValue: string) =>
        send(QueueUrl, "body", {
          MessageAttributes: { amount: { DataType: "Number", StringValue } },
        });
      // 38 nines just under 10^126: a double rounds it up to 10^126.
      const justUnder = `${"9".repeat(38)}e88`;
      for (const ok of ["1e126", "-1E+126", justUnder, "1e-128", "-0.001e-125", "0e999"]) {
        assert.ok((await number(ok)).MessageId, ok);
      }
      for (const refused of ["1.0000000000000000000000000000000000001e126", "1e127", "9.9e-129"]) {
        await expectSqsError(number(refused), {
          code: "InvalidParameterValue",
          message: "Can't cast the value of message (user) attribute 'amount' to a number.",
        });
      }
    });

    it("accepts 10 attributes and rejects 11", async () => {
      const QueueUrl = await broker.createQueue();
      const many = (n: number) =>
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
        );
      await send(QueueUrl, "ten", { MessageAttributes: many(10) });
      // Text not established (emulators only): code and status.
      await expectSqsError(send(QueueUrl, "eleven", { MessageAttributes: many(11) }), {
        code: "InvalidParameterValue",
      });
    });

    for (const name of ["AWS.reserved", "aws.reserved", "Amazon.reserved", "AMAZON.x"]) {
      it(`rejects the reserved attribute name ${name}`, async () => {
        const QueueUrl = await broker.createQueue();
        // Text not established: code and status.
        await expectSqsError(
          send(QueueUrl, "body", {
            MessageAttributes: { [name]: { DataType: "String", StringValue: "v" } },
          }),
          { code: "InvalidParameterValue" },
        );
      });
    }

    it("accepts non-ASCII attribute names", async () => {
      const QueueUrl = await broker.createQueue();
      const attributes = { "attr.1øßä": { DataType: "String", StringValue: "Valida" } };
      const sent = await send(QueueUrl, "body", { MessageAttributes: attributes });
      assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(attributes));
    });

    for (const name of [".leading", "trailing.", "x".repeat(257)]) {
      it(`rejects the attribute name ${name.length > 20 ? "of 257 characters" : name}`, async () => {
        const QueueUrl = await broker.createQueue();
        await expectSqsError(
          send(QueueUrl, "body", {
            MessageAttributes: { [name]: { DataType: "String", StringValue: "v" } },
          }),
          { code: "InvalidParameterValue" },
        );
      });
    }
  });
});

// --- helpers ---

/** Attribute maps with binary values as plain arrays, so deepEqual ignores Buffer vs Uint8Array. */
function normalise(attributes: Record<string, MessageAttributeValue> | undefined): unknown {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).map(([name, v]) => [
      name,
      {
        DataType: v.DataType,
        ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
        ...(v.BinaryValue !== undefined ? { BinaryValue: [...v.BinaryValue] } : {}),
      },
    ]),
  );
}
