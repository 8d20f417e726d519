import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { after, afterEach, before, describe, it } from "node:test";
import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { createBystanderQueue } from "../../support/bystander-queue.ts";

/**
 * The AWS JSON 1.0 protocol as bytes on the wire, without the SDK: what a
 * client that is not the AWS SDK (or a broken one) sends, and what it gets.
 */

const ACCOUNT = "000000000000";
const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

interface RawRequest {
  /** `AmazonSQS.<Action>`; undefined sends no X-Amz-Target header. */
  target?: string | undefined;
  body?: string | Uint8Array;
  /** Absolute URL to post to; default the endpoint's "/". */
  url?: string;
  method?: string;
  headers?: Record<string, string>;
}

/** The part of a `__type` after `#` (SDKs ignore the namespace). */
const shortType = (json: Record<string, unknown> | undefined) =>
  String(json?.__type ?? "").replace(/^.*#/, "");

describe("JSON protocol transport", () => {
  let broker: TestBroker;
  let bystander: { assertUntouched(): Promise<void> };

  before(async () => {
    broker = await startTestBroker();
    // Every bad request must leave other queues alone.
    bystander = await createBystanderQueue(broker);
  });
  after(() => broker.close());
  afterEach(() => bystander.assertUntouched());

  async function send(req: RawRequest): Promise<RawResponse> {
    const headers: Record<string, string> = { "content-type": JSON_CONTENT_TYPE, ...req.headers };
    if (req.target !== undefined) headers["x-amz-target"] = req.target;
    const response = await fetch(req.url ?? `${broker.endpoint}/`, {
      method: req.method ?? "POST",
      headers,
      body: req.method === "GET" ? undefined : (req.body ?? "{}"),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  const action = (name: string, body: object, url?: string) =>
    send({ target: `AmazonSQS.${name}`, body: JSON.stringify(body), url });

  /** Asserts a well-formed JSON-protocol error: status, JSON body with __type and message. */
  function assertErrorShape(response: RawResponse, status: number): void {
    assert.equal(response.status, status, `status (body: ${response.text})`);
    assert.ok(response.json, `error body is JSON: ${response.text}`);
    assert.equal(typeof response.json.__type, "string", "__type is a string");
    assert.equal(typeof response.json.message, "string", "message is a string");
    assert.ok(response.headers.get("x-amzn-requestid"), "x-amzn-RequestId header");
  }

  describe("errors of modeled SQS exceptions", () => {
    it("reports QueueDoesNotExist with __type, message and the x-amzn-query-error header", async () => {
      const response = await action("GetQueueUrl", { QueueName: broker.uniqueName("ghost") });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("content-type"), JSON_CONTENT_TYPE);
      assert.equal(
        response.headers.get("x-amzn-query-error"),
        "AWS.SimpleQueueService.NonExistentQueue;Sender",
      );
      assert.ok(response.headers.get("x-amzn-requestid"));
      assert.deepEqual(response.json, {
        __type: "com.amazonaws.sqs#QueueDoesNotExist",
        message: "The specified queue does not exist.",
      });
    });

    it("reports QueueDoesNotExist for an action on a deleted queue's URL", async () => {
      const QueueUrl = await broker.createQueue();
      await broker.sqs.send(new DeleteQueueCommand({ QueueUrl }));
      const response = await action("SendMessage", { QueueUrl, MessageBody: "x" });
      assert.equal(response.status, 400);
      assert.equal(
        response.headers.get("x-amzn-query-error"),
        "AWS.SimpleQueueService.NonExistentQueue;Sender",
      );
      assert.deepEqual(response.json, {
        __type: "com.amazonaws.sqs#QueueDoesNotExist",
        message: "The specified queue does not exist.",
      });
    });

    it("reports QueueDoesNotExist for a queue URL of another account", async () => {
      // Given an existing queue, addressed under another account id
      const QueueUrl = await broker.createQueue();
      const foreign = QueueUrl.replace(`/${ACCOUNT}/`, "/123456789012/");
      assert.notEqual(foreign, QueueUrl);

      // When it is used
      const response = await action("SendMessage", { QueueUrl: foreign, MessageBody: "x" });

      // Then the queue is not found, and nothing reached the real queue
      assert.equal(response.status, 400);
      assert.equal(shortType(response.json), "QueueDoesNotExist");
      assert.equal(
        response.headers.get("x-amzn-query-error"),
        "AWS.SimpleQueueService.NonExistentQueue;Sender",
      );
      const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(Messages, undefined);
    });

    it("reports PurgeQueueInProgress as 403 with its query code", async () => {
      const QueueUrl = await broker.createQueue();
      await action("PurgeQueue", { QueueUrl });
      const response = await action("PurgeQueue", { QueueUrl });
      assert.equal(response.status, 403);
      assert.equal(
        response.headers.get("x-amzn-query-error"),
        "AWS.SimpleQueueService.PurgeQueueInProgress;Sender",
      );
      assert.equal(response.json?.__type, "com.amazonaws.sqs#PurgeQueueInProgress");
    });

    it("reports QueueNameExists with the QueueAlreadyExists query code", async () => {
      const name = broker.uniqueName("exists");
      await action("CreateQueue", { QueueName: name, Attributes: { DelaySeconds: "1" } });
      const response = await action("CreateQueue", {
        QueueName: name,
        Attributes: { DelaySeconds: "2" },
      });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("x-amzn-query-error"), "QueueAlreadyExists;Sender");
      assert.deepEqual(response.json, {
        __type: "com.amazonaws.sqs#QueueNameExists",
        message:
          "A queue already exists with the same name and a different value for attribute DelaySeconds",
      });
    });

    it("reports InvalidParameterValue with the InvalidParameterValueException type", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await action("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 11 });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("x-amzn-query-error"), "InvalidParameterValue;Sender");
      assert.equal(shortType(response.json), "InvalidParameterValueException");
      assert.equal(
        response.json?.message,
        "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
      );
    });
  });

  describe("success responses", () => {
    it("answers 200 with the JSON content type, a request id and the output members", async () => {
      const name = broker.uniqueName("raw");
      const response = await action("CreateQueue", { QueueName: name });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), JSON_CONTENT_TYPE);
      assert.ok(response.headers.get("x-amzn-requestid"));
      assert.equal(response.headers.get("x-amzn-query-error"), null);
      assert.deepEqual(response.json, { QueueUrl: `${broker.endpoint}/${ACCOUNT}/${name}` });
    });

    it("serves requests posted to the queue URL path instead of /", async () => {
      // Given a queue
      const QueueUrl = await broker.createQueue();

      // When SendMessage and GetQueueAttributes are posted to the queue's own URL
      const sent = await action("SendMessage", { QueueUrl, MessageBody: "via path" }, QueueUrl);
      const attributes = await action(
        "GetQueueAttributes",
        { QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] },
        QueueUrl,
      );

      // Then both work as on "/"
      assert.equal(sent.status, 200, sent.text);
      assert.equal(typeof sent.json?.MessageId, "string");
      assert.equal(sent.json?.MD5OfMessageBody, createHash("md5").update("via path").digest("hex"));
      assert.equal(attributes.status, 200, attributes.text);
      assert.deepEqual(attributes.json, { Attributes: { ApproximateNumberOfMessages: "1" } });
      const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(Messages?.[0]?.Body, "via path");
      assert.equal(Messages?.[0]?.MessageId, sent.json?.MessageId);
    });

    it("omits empty list members (ListQueues with no match, ReceiveMessage on an empty queue)", async () => {
      const listed = await action("ListQueues", { QueueNamePrefix: broker.uniqueName("none") });
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.json, {});
      const QueueUrl = await broker.createQueue();
      const received = await action("ReceiveMessage", { QueueUrl });
      assert.equal(received.status, 200);
      assert.deepEqual(received.json, {});
    });

    it("reads only MessageSystemAttributeNames when AttributeNames is given too, as SQS does", async () => {
      // Recorded against SQS (reference §5): with both lists, JSON reads MessageSystemAttributeNames.
      const QueueUrl = await broker.createQueue();
      await action("SendMessage", { QueueUrl, MessageBody: "both lists" });
      const namesReturned = async (lists: object) => {
        const received = await action("ReceiveMessage", {
          QueueUrl,
          VisibilityTimeout: 0,
          ...lists,
        });
        assert.equal(received.status, 200, received.text);
        const [message] = received.json?.Messages as Array<{ Attributes: object }>;
        return Object.keys(message!.Attributes).sort();
      };
      assert.deepEqual(
        await namesReturned({ AttributeNames: ["SenderId"], MessageSystemAttributeNames: ["All"] }),
        [
          "ApproximateFirstReceiveTimestamp",
          "ApproximateReceiveCount",
          "SenderId",
          "SentTimestamp",
        ],
      );
      assert.deepEqual(
        await namesReturned({ AttributeNames: ["All"], MessageSystemAttributeNames: ["SenderId"] }),
        ["SenderId"],
      );
      // And the deprecated list alone is read as ever
      assert.deepEqual(await namesReturned({ AttributeNames: ["SentTimestamp"] }), [
        "SentTimestamp",
      ]);
    });

    it("spells ListDeadLetterSourceQueues' member queueUrls in lower camel case", async () => {
      const dlq = await broker.createQueue({}, "dlq");
      const arn = (
        await broker.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }),
        )
      ).Attributes!.QueueArn!;
      const source = await broker.createQueue({
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 2 }),
      });
      const response = await action("ListDeadLetterSourceQueues", { QueueUrl: dlq });
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, { queueUrls: [source] });
    });
  });

  describe("malformed requests", () => {
    for (const [label, body] of [
      ["an unterminated object", '{"QueueName": "x"'],
      ["a missing value", '{"QueueName": }'],
      ["plain text", "QueueName=x"],
      ["invalid UTF-8 bytes", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
      // Read as U+FFFD, it would have named another queue, or stored another message.
      [
        "invalid UTF-8 inside a string",
        Buffer.concat([
          Buffer.from('{"QueueName":"q'),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from('"}'),
        ]),
      ],
    ] as const) {
      it(`answers 400 SerializationException to a body that is ${label}`, async () => {
        // The exact type and text for malformed JSON are not established against AWS.
        const response = await send({ target: "AmazonSQS.GetQueueUrl", body });
        assertErrorShape(response, 400);
        assert.match(shortType(response.json), /Serialization/);
      });
    }

    for (const body of ["null", "[]", '"CreateQueue"', "42"]) {
      it(`answers 400 to the JSON value ${body} instead of an object`, async () => {
        const response = await send({ target: "AmazonSQS.ListQueues", body });
        assertErrorShape(response, 400);
      });
    }

    it("answers 400 UnknownOperationException to an unknown X-Amz-Target", async () => {
      for (const target of ["AmazonSQS.FooBar", "AmazonSNS.Publish", "CreateQueue", ""]) {
        const response = await send({ target, body: JSON.stringify({ QueueName: "x" }) });
        assertErrorShape(response, 400);
        assert.equal(shortType(response.json), "UnknownOperationException", `target "${target}"`);
      }
    });

    it("does not take the action from the URL path", async () => {
      const response = await send({
        target: "AmazonSQS.FooBar",
        url: `${broker.endpoint}/CreateQueue`,
      });
      assertErrorShape(response, 400);
      assert.equal(shortType(response.json), "UnknownOperationException");
    });

    it("answers 400 to a request without X-Amz-Target", async () => {
      // The exact error for a missing target is not established for the JSON protocol.
      const name = broker.uniqueName("notarget");
      const response = await send({ body: JSON.stringify({ QueueName: name }) });
      assertErrorShape(response, 400);
      const listed = await action("ListQueues", { QueueNamePrefix: name });
      assert.deepEqual(listed.json, {}, "no queue was created");
    });

    it("answers a GET without a target with a 4xx error, not a crash", async () => {
      const response = await send({ method: "GET" });
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
    });

    it("answers 400 SerializationException to a string where an integer belongs", async () => {
      const QueueUrl = await broker.createQueue();
      await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "stay" }));
      const response = await action("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: "5" });
      assertErrorShape(response, 400);
      assert.equal(shortType(response.json), "SerializationException");
      assert.equal(response.json?.message, "STRING_VALUE can not be converted to an Integer");
      const { Messages } = await broker.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(Messages?.[0]?.Body, "stay", "the refused receive did not take the message");
    });

    for (const [label, body] of [
      ["an object for a string (QueueName)", { QueueName: { name: "x" } }],
      ["a number for a string (QueueName)", { QueueName: 42 }],
      ["a list for a map (Attributes)", { QueueName: "typed", Attributes: ["DelaySeconds"] }],
      ["a number inside a string map", { QueueName: "typed", Attributes: { DelaySeconds: 5 } }],
    ] as const) {
      it(`answers 400 SerializationException to ${label}`, async () => {
        const response = await action("CreateQueue", body);
        assertErrorShape(response, 400);
        assert.equal(shortType(response.json), "SerializationException");
      });
    }

    it("answers 400 to a fraction where an integer belongs", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await action("ReceiveMessage", { QueueUrl, WaitTimeSeconds: 1.5 });
      assertErrorShape(response, 400);
    });

    it("answers 400 to a binary attribute that is not base64", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await action("SendMessage", {
        QueueUrl,
        MessageBody: "x",
        MessageAttributes: { bin: { DataType: "Binary", BinaryValue: "not base64!" } },
      });
      assertErrorShape(response, 400);
    });

    it("reports a missing required parameter as MissingParameter in x-amzn-query-error", async () => {
      const response = await action("GetQueueUrl", {});
      assertErrorShape(response, 400);
      assert.equal(response.headers.get("x-amzn-query-error"), "MissingParameter;Sender");
      assert.equal(response.json?.message, "The request must contain the parameter QueueName.");

      const QueueUrl = await broker.createQueue();
      const noBody = await action("SendMessage", { QueueUrl });
      assert.equal(noBody.status, 400);
      assert.equal(noBody.headers.get("x-amzn-query-error"), "MissingParameter;Sender");
      assert.equal(noBody.json?.message, "The request must contain the parameter MessageBody.");

      const noUrl = await action("SendMessage", { MessageBody: "x" });
      assert.equal(noUrl.status, 400);
      assert.equal(noUrl.headers.get("x-amzn-query-error"), "MissingParameter;Sender");
      assert.equal(noUrl.json?.message, "The request must contain the parameter QueueUrl.");
    });

    it("types a missing required parameter as MissingRequiredParameterException", async () => {
      const response = await action("GetQueueUrl", {});
      assert.equal(response.status, 400);
      assert.equal(shortType(response.json), "MissingRequiredParameterException");
    });

    it("treats a null member as absent", async () => {
      const response = await action("GetQueueUrl", { QueueName: null });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("x-amzn-query-error"), "MissingParameter;Sender");
    });

    it("answers a queue URL that is not a URL with a 4xx error", async () => {
      for (const QueueUrl of ["not-a-url", "http://host-only", `${broker.endpoint}/`]) {
        const response = await action("SendMessage", { QueueUrl, MessageBody: "x" });
        assert.ok(
          response.status >= 400 && response.status < 500,
          `${QueueUrl}: ${response.status}`,
        );
        assert.ok(response.json?.__type, `${QueueUrl}: JSON error body`);
      }
    });
  });

  describe("abuse of the connection", () => {
    it("refuses a body over 6 MiB and keeps serving", async () => {
      // Given a queue and a SendMessage of 7 MiB
      const QueueUrl = await broker.createQueue();
      const body = JSON.stringify({ QueueUrl, MessageBody: "x".repeat(7 * 1024 * 1024) });

      // When it is sent
      const response = await send({ target: "AmazonSQS.SendMessage", body });

      // Then it is refused with a client error, nothing is stored, and the next request works
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
      assert.ok(response.json?.__type, "JSON error body");
      const next = await action("SendMessage", { QueueUrl, MessageBody: "small" });
      assert.equal(next.status, 200, next.text);
      const { Messages } = await broker.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
      );
      assert.deepEqual(
        Messages?.map((m) => m.Body),
        ["small"],
      );
    });

    it("survives a client that hangs up in the middle of its body", async () => {
      await new Promise<void>((resolve) => {
        const url = new URL(broker.endpoint);
        const req = request({
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: "/",
          headers: {
            "content-type": JSON_CONTENT_TYPE,
            "x-amz-target": "AmazonSQS.CreateQueue",
            "content-length": "1000",
          },
        });
        req.on("error", () => resolve());
        req.on("close", () => resolve());
        req.write('{"QueueName": "half', () => req.destroy());
      });
      const response = await action("ListQueues", { QueueNamePrefix: "half" });
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, {}, "the half-sent CreateQueue created nothing");
    });

    it("answers a burst of bad and good requests, all of them", async () => {
      // Given a queue to send to
      const QueueUrl = await broker.createQueue();

      // When bad requests of every kind are interleaved with good sends
      const bad: RawRequest[] = [
        { target: "AmazonSQS.SendMessage", body: "{" },
        { target: "AmazonSQS.Nope", body: "{}" },
        { body: "{}" },
        { target: "AmazonSQS.SendMessage", body: JSON.stringify({ QueueUrl }) },
        { target: "AmazonSQS.SendMessage", body: JSON.stringify({ QueueUrl, MessageBody: 5 }) },
        {
          target: "AmazonSQS.ReceiveMessage",
          body: JSON.stringify({ QueueUrl, MaxNumberOfMessages: 0 }),
        },
        { target: "AmazonSQS.DeleteQueue", body: JSON.stringify({ QueueUrl: "garbage" }) },
        { target: "AmazonSQS.PurgeQueue", body: "[]" },
      ];
      const requests: Array<Promise<RawResponse>> = [];
      for (let i = 0; i < 5; i++) {
        for (const req of bad) requests.push(send(req));
        requests.push(action("SendMessage", { QueueUrl, MessageBody: `good-${i}` }));
      }
      const responses = await Promise.all(requests);

      // Then every bad one got a 4xx JSON error and every good one a 200
      const goods = responses.filter((_, i) => i % (bad.length + 1) === bad.length);
      const bads = responses.filter((_, i) => i % (bad.length + 1) !== bad.length);
      for (const r of goods) assert.equal(r.status, 200, r.text);
      for (const r of bads) {
        assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}: ${r.text}`);
        assert.ok(r.json?.__type, `JSON error: ${r.text}`);
      }
      const attributes = await action("GetQueueAttributes", {
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages"],
      });
      assert.deepEqual(attributes.json, { Attributes: { ApproximateNumberOfMessages: "5" } });
    });
  });
});
