import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { createBystanderQueue } from "../../support/bystander-queue.ts";

/**
 * The AWS Query protocol as bytes on the wire, without the SDK: form
 * parameters in a POST body or a GET query string, posted to "/" or to a
 * queue URL, and the XML that comes back, checked character for character
 * where SQS's responses are recorded (docs/reference/aws-sqs-behaviour.md).
 */

const ACCOUNT = "000000000000";
const NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
const PROLOG = '<?xml version="1.0"?>';
const FORM = "application/x-www-form-urlencoded; charset=utf-8";

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** The text of the first `<name>` element, with the five XML entities undone. */
function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match === null ? undefined : unescapeXml(match[1]!);
}

function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, "g"))].map((m) =>
    unescapeXml(m[1]!),
  );
}

function unescapeXml(text: string): string {
  return text.replace(/&(quot|apos|lt|gt|amp|#x[0-9A-Fa-f]+|#[0-9]+);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { quot: '"', apos: "'", lt: "<", gt: ">", amp: "&" }[entity]!;
  });
}

const REQUEST_ID = "<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata>";

describe("Query protocol transport", () => {
  let broker: TestBroker;
  let bystander: { assertUntouched(): Promise<void> };

  before(async () => {
    broker = await startTestBroker();
    // Every bad request must leave other queues alone.
    bystander = await createBystanderQueue(broker);
  });
  after(() => broker.close());
  afterEach(() => bystander.assertUntouched());

  /** POSTs form parameters to `path` (default "/"). */
  async function post(params: Record<string, string>, path = "/"): Promise<RawResponse> {
    const response = await fetch(`${broker.endpoint}${path}`, {
      method: "POST",
      headers: { "content-type": FORM },
      body: new URLSearchParams({ Version: "2012-11-05", ...params }).toString(),
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  async function get(query: string, path = "/", method = "GET"): Promise<RawResponse> {
    const response = await fetch(`${broker.endpoint}${path}${query === "" ? "" : `?${query}`}`, {
      method,
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  const queuePath = (queueUrl: string): string => new URL(queueUrl).pathname;

  /** Asserts an `<ErrorResponse>` exactly as SQS writes it. */
  function assertError(
    response: RawResponse,
    expected: { status: number; code: string; message: string; type?: string },
  ): void {
    assert.equal(response.status, expected.status, response.text);
    assert.equal(response.headers.get("content-type"), "text/xml");
    assert.ok(response.headers.get("x-amzn-requestid"));
    assert.match(
      response.text,
      new RegExp(
        `^${escapeRegExp(
          `${PROLOG}<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${expected.type ?? "Sender"}</Type>` +
            `<Code>${expected.code}</Code><Message>${expected.message}</Message><Detail/></Error>`,
        )}<RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
      ),
    );
  }

  describe("success responses", () => {
    it("answers CreateQueue in XML: prolog, namespace, Result, then ResponseMetadata", async () => {
      const name = broker.uniqueName("raw");
      const response = await post({ Action: "CreateQueue", QueueName: name });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/xml");
      assert.ok(response.headers.get("x-amzn-requestid"));
      assert.match(
        response.text,
        new RegExp(
          `^${escapeRegExp(
            `${PROLOG}<CreateQueueResponse xmlns="${NAMESPACE}"><CreateQueueResult>` +
              `<QueueUrl>${broker.endpoint}/${ACCOUNT}/${name}</QueueUrl></CreateQueueResult>`,
          )}${REQUEST_ID}</CreateQueueResponse>$`,
        ),
      );
    });

    it("writes an action without output as a Response with only its ResponseMetadata", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await post({ Action: "PurgeQueue", QueueUrl });
      assert.equal(response.status, 200);
      assert.match(
        response.text,
        new RegExp(
          `^${escapeRegExp(`${PROLOG}<PurgeQueueResponse xmlns="${NAMESPACE}">`)}${REQUEST_ID}</PurgeQueueResponse>$`,
        ),
      );
    });

    it("writes an empty receive as <ReceiveMessageResult/>", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await post({ Action: "ReceiveMessage", QueueUrl });
      assert.equal(response.status, 200);
      assert.ok(
        response.text.includes("<ReceiveMessageResponse"),
        "a ReceiveMessageResponse element",
      );
      assert.ok(response.text.includes("<ReceiveMessageResult/><ResponseMetadata>"), response.text);
    });

    it("writes a message's members in SQS's order, attributes flattened, binaries as base64", async () => {
      // Given a message with a string and a binary attribute
      const QueueUrl = await broker.createQueue();
      const sent = await post({
        Action: "SendMessage",
        QueueUrl,
        MessageBody: "hello",
        "MessageAttribute.1.Name": "colour",
        "MessageAttribute.1.Value.DataType": "String",
        "MessageAttribute.1.Value.StringValue": "blue",
        "MessageAttribute.2.Name": "bytes",
        "MessageAttribute.2.Value.DataType": "Binary",
        "MessageAttribute.2.Value.BinaryValue": Buffer.from([0, 1, 254, 255]).toString("base64"),
      });
      assert.equal(sent.status, 200, sent.text);
      assert.deepEqual(
        [...sent.text.matchAll(/<(\w+)>[^<]*<\/\1>/g)].map((m) => m[1]),
        ["MessageId", "MD5OfMessageBody", "MD5OfMessageAttributes", "RequestId"],
      );

      // When it is received with every attribute
      const received = await post({
        Action: "ReceiveMessage",
        QueueUrl,
        "AttributeName.1": "All",
        "MessageAttributeName.1": "All",
      });

      // Then the message reads as SQS writes it
      const message = /<Message>(.*)<\/Message>/.exec(received.text)?.[1] ?? "";
      assert.deepEqual(
        [...message.matchAll(/<(\w+)>/g)].map((m) => m[1]).filter((n) => n !== "Name"),
        [
          "MessageId",
          "ReceiptHandle",
          "MD5OfBody",
          "MD5OfMessageAttributes",
          "Body",
          ...Array<string>(4)
            .fill("Attribute")
            .flatMap((a) => [a, "Value"]),
          "MessageAttribute",
          "Value",
          "StringValue",
          "DataType",
          "MessageAttribute",
          "Value",
          "BinaryValue",
          "DataType",
        ],
      );
      assert.equal(element(message, "Body"), "hello");
      assert.equal(
        element(message, "MD5OfMessageAttributes"),
        element(sent.text, "MD5OfMessageAttributes"),
      );
      assert.ok(
        message.includes(
          "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>",
        ),
      );
      assert.ok(
        message.includes(
          "<MessageAttribute><Name>colour</Name><Value><StringValue>blue</StringValue><DataType>String</DataType></Value></MessageAttribute>",
        ),
      );
      assert.equal(element(message, "BinaryValue"), "AAH+/w==");
    });

    it("escapes markup and quotes, keeps \\r and astral characters, and leaves ' as it is", async () => {
      const QueueUrl = await broker.createQueue();
      const body = `<a href="x">Tom & Jerry's</a>\r\n\ttab 😀`;
      await post({ Action: "SendMessage", QueueUrl, MessageBody: body });
      const received = await post({ Action: "ReceiveMessage", QueueUrl });
      assert.ok(
        received.text.includes(
          "<Body>&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry's&lt;/a&gt;&#xD;\n\ttab 😀</Body>",
        ),
        received.text,
      );
      assert.equal(element(received.text, "Body"), body);
    });

    it("lists queues and tags as flattened <QueueUrl> and <Tag><Key><Value> elements", async () => {
      const prefix = broker.uniqueName("listed");
      const names = [`${prefix}-a`, `${prefix}-b`];
      for (const name of names) {
        await post({
          Action: "CreateQueue",
          QueueName: name,
          "Tag.1.Key": "team",
          "Tag.1.Value": "widgets",
        });
      }
      const listed = await post({ Action: "ListQueues", QueueNamePrefix: prefix });
      assert.deepEqual(
        elements(listed.text, "QueueUrl"),
        names.map((name) => `${broker.endpoint}/${ACCOUNT}/${name}`),
      );
      const tags = await post({
        Action: "ListQueueTags",
        QueueUrl: `${broker.endpoint}/${ACCOUNT}/${names[0]}`,
      });
      assert.ok(
        tags.text.includes(
          "<ListQueueTagsResult><Tag><Key>team</Key><Value>widgets</Value></Tag></ListQueueTagsResult>",
        ),
        tags.text,
      );
    });

    it("writes batch results with Successful and Failed entries under their own names", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await post({
        Action: "SendMessageBatch",
        QueueUrl,
        "SendMessageBatchRequestEntry.1.Id": "good",
        "SendMessageBatchRequestEntry.1.MessageBody": "fine",
        "SendMessageBatchRequestEntry.2.Id": "bad",
        "SendMessageBatchRequestEntry.2.MessageBody": "late",
        "SendMessageBatchRequestEntry.2.DelaySeconds": "901",
      });
      assert.equal(response.status, 200, response.text);
      assert.match(
        response.text,
        /<SendMessageBatchResult><SendMessageBatchResultEntry><Id>good<\/Id><MessageId>[^<]+<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><\/SendMessageBatchResultEntry><BatchResultErrorEntry><Id>bad<\/Id><SenderFault>true<\/SenderFault><Code>InvalidParameterValue<\/Code><Message>[^<]+<\/Message><\/BatchResultErrorEntry><\/SendMessageBatchResult>/,
      );
    });
  });

  describe("requests", () => {
    it("takes a GET with the parameters in the query string", async () => {
      const QueueUrl = await broker.createQueue({ VisibilityTimeout: "42" });
      const query = new URLSearchParams({
        Action: "GetQueueAttributes",
        QueueUrl,
        "AttributeName.1": "VisibilityTimeout",
      });
      const response = await get(query.toString());
      assert.equal(response.status, 200, response.text);
      assert.ok(
        response.text.includes(
          "<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>42</Value></Attribute></GetQueueAttributesResult>",
        ),
        response.text,
      );
    });

    it("takes the queue from the request path when QueueUrl is left out", async () => {
      const QueueUrl = await broker.createQueue();
      const path = queuePath(QueueUrl);
      const sent = await post({ Action: "SendMessage", MessageBody: "by path" }, path);
      assert.equal(sent.status, 200, sent.text);
      const received = await get(
        new URLSearchParams({ Action: "ReceiveMessage", Version: "2012-11-05" }).toString(),
        path,
      );
      assert.equal(element(received.text, "Body"), "by path");
    });

    it("lets a QueueUrl parameter win over the path, as SQS does", async () => {
      const named = await broker.createQueue();
      const other = await broker.createQueue();
      await post(
        { Action: "SendMessage", QueueUrl: named, MessageBody: "to the parameter" },
        queuePath(other),
      );
      const received = await post({ Action: "ReceiveMessage", QueueUrl: named });
      assert.equal(element(received.text, "Body"), "to the parameter");
    });

    it("reads the Action from the query string of a POST", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await fetch(`${broker.endpoint}${queuePath(QueueUrl)}?Action=SendMessage`, {
        method: "POST",
        headers: { "content-type": FORM },
        body: "MessageBody=from%20the%20body",
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.status, 200, await response.text());
      const received = await post({ Action: "ReceiveMessage", QueueUrl });
      assert.equal(element(received.text, "Body"), "from the body");
    });

    it("reads flattened list items in index order, whatever order they come in", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await post({
        Action: "SendMessageBatch",
        QueueUrl,
        "SendMessageBatchRequestEntry.10.Id": "third",
        "SendMessageBatchRequestEntry.10.MessageBody": "c",
        "SendMessageBatchRequestEntry.2.Id": "second",
        "SendMessageBatchRequestEntry.2.MessageBody": "b",
        "SendMessageBatchRequestEntry.1.Id": "first",
        "SendMessageBatchRequestEntry.1.MessageBody": "a",
      });
      assert.deepEqual(elements(response.text, "Id"), ["first", "second", "third"]);
    });

    it("reads an unnumbered list item or map entry, as SQS's first API versions wrote them", async () => {
      // Perl's Amazon::SQS::Simple sets an attribute as Attribute.Name/Value
      // and reads them all with AttributeName=All.
      const QueueUrl = await broker.createQueue();
      const set = await post({
        Action: "SetQueueAttributes",
        QueueUrl,
        "Attribute.Name": "DelaySeconds",
        "Attribute.Value": "7",
      });
      assert.equal(set.status, 200, set.text);
      const all = await post({ Action: "GetQueueAttributes", QueueUrl, AttributeName: "All" });
      assert.equal(all.status, 200, all.text);
      const names = elements(all.text, "Name");
      assert.ok(names.includes("QueueArn") && names.includes("VisibilityTimeout"), all.text);
      assert.match(all.text, /<Attribute><Name>DelaySeconds<\/Name><Value>7<\/Value><\/Attribute>/);
      // A numbered item wins over an unnumbered one.
      const one = await post({
        Action: "GetQueueAttributes",
        QueueUrl,
        AttributeName: "All",
        "AttributeName.1": "DelaySeconds",
      });
      assert.deepEqual(elements(one.text, "Name"), ["DelaySeconds"]);
      // An empty value is an empty list, as the AWS SDKs write one: the JS
      // SDK under the item's name, botocore under the member's.
      for (const [action, entries, empty] of [
        ["SendMessageBatch", "SendMessageBatchRequestEntry", "SendMessageBatchRequestEntry"],
        ["SendMessageBatch", "Entries", "SendMessageBatchRequestEntry"],
        ["DeleteMessageBatch", "Entries", "DeleteMessageBatchRequestEntry"],
        ["ChangeMessageVisibilityBatch", "Entries", "ChangeMessageVisibilityBatchRequestEntry"],
      ] as const) {
        assertError(await post({ Action: action, QueueUrl, [entries]: "" }), {
          status: 400,
          code: "AWS.SimpleQueueService.EmptyBatchRequest",
          message: `There should be at least one ${empty} in the request.`,
        });
      }
      // botocore's empty TagKeys removes no tag, as an empty JSON list does.
      const untag = await post({ Action: "UntagQueue", QueueUrl, TagKeys: "" });
      assert.equal(untag.status, 200, untag.text);
      // An unnumbered entry without its value is named as such.
      assertError(
        await post({ Action: "SetQueueAttributes", QueueUrl, "Attribute.Name": "DelaySeconds" }),
        {
          status: 400,
          code: "MissingParameter",
          message: "The request must contain the parameter Attribute.Value.",
        },
      );
    });

    it("ignores items of indexes SQS does not read (0, 01, ten digits), as any unknown parameter", async () => {
      const errorOf = (text: string) => /<Error>.*<\/Error>/.exec(text)?.[0];
      const QueueUrl = await broker.createQueue();
      const none = await post({ Action: "GetQueueAttributes", QueueUrl, "AttributeName.0": "All" });
      assert.equal(none.status, 200, none.text);
      assert.deepEqual(elements(none.text, "Name"), []);
      // A required list of such items alone is missing, as with no items at all
      const withoutAttributes = await post({ Action: "SetQueueAttributes", QueueUrl });
      const withoutEntries = await post({ Action: "DeleteMessageBatch", QueueUrl });
      assert.equal(withoutAttributes.status, 400, withoutAttributes.text);
      for (const index of ["0", "01", "9999999999"]) {
        const set = await post({
          Action: "SetQueueAttributes",
          QueueUrl,
          [`Attribute.${index}.Name`]: "DelaySeconds",
          [`Attribute.${index}.Value`]: "7",
        });
        assert.deepEqual([set.status, errorOf(set.text)], [400, errorOf(withoutAttributes.text)]);
        const batch = await post({
          Action: "DeleteMessageBatch",
          QueueUrl,
          [`DeleteMessageBatchRequestEntry.${index}.Id`]: "a",
          [`DeleteMessageBatchRequestEntry.${index}.ReceiptHandle`]: "x",
        });
        assert.deepEqual([batch.status, errorOf(batch.text)], [400, errorOf(withoutEntries.text)]);
      }
      const delay = await post({
        Action: "GetQueueAttributes",
        QueueUrl,
        "AttributeName.1": "All",
      });
      assert.match(delay.text, /<Name>DelaySeconds<\/Name><Value>0<\/Value>/);
    });

    it("refuses a message attribute with no name in SQS's words", async () => {
      // Recorded against SQS (reference, message attributes): an empty name,
      // or none at all, as aws-sdk-go issue 178's lower-case `key` sent.
      const QueueUrl = await broker.createQueue();
      const value = {
        "MessageAttribute.1.Value.DataType": "String",
        "MessageAttribute.1.Value.StringValue": "v",
      };
      const names: Array<Record<string, string>> = [
        { "MessageAttribute.1.Name": "" },
        { "MessageAttribute.1.key": "Key" },
      ];
      for (const name of names) {
        assertError(
          await post({ Action: "SendMessage", QueueUrl, MessageBody: "x", ...name, ...value }),
          {
            status: 400,
            code: "InvalidParameterValue",
            message: "The request must contain non-empty message attribute name.",
          },
        );
      }
    });

    it("reads only AttributeName.N when MessageSystemAttributeName.N is given too, as SQS does", async () => {
      // Recorded against SQS (reference §5): with both lists, Query reads AttributeName's.
      const QueueUrl = await broker.createQueue();
      await post({ Action: "SendMessage", QueueUrl, MessageBody: "both lists" });
      const received = await post({
        Action: "ReceiveMessage",
        QueueUrl,
        VisibilityTimeout: "0",
        "AttributeName.1": "SenderId",
        "MessageSystemAttributeName.1": "All",
      });
      assert.equal(received.status, 200, received.text);
      assert.deepEqual(elements(received.text, "Name"), ["SenderId"]);

      // And the system list alone is read as ever
      const alone = await post({
        Action: "ReceiveMessage",
        QueueUrl,
        "MessageSystemAttributeName.1": "SentTimestamp",
      });
      assert.deepEqual(elements(alone.text, "Name"), ["SentTimestamp"]);
    });

    it("ignores unknown parameters, as SQS does", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await post({
        Action: "SendMessage",
        QueueUrl,
        MessageBody: "x",
        Colour: "blue",
      });
      assert.equal(response.status, 200, response.text);
    });

    it("takes TagQueue's tags as Tags.N as well as Tag.N, as the Java SDK v1 sends them", async () => {
      // Given a queue, tagged once the model's way and once the Java SDK v1's way
      const QueueUrl = await broker.createQueue();
      await post({ Action: "TagQueue", QueueUrl, "Tag.1.Key": "team", "Tag.1.Value": "widgets" });
      await post({
        Action: "TagQueue",
        QueueUrl,
        "Tags.1.Key": "course",
        "Tags.1.Value": "csse6400",
        "Tags.2.Key": "env",
        "Tags.2.Value": "local",
      });

      // When its tags are listed
      const tags = await post({ Action: "ListQueueTags", QueueUrl });

      // Then both requests tagged it
      assert.deepEqual(elements(tags.text, "Key").sort(), ["course", "env", "team"]);
    });

    it("accepts a request without Version", async () => {
      const response = await fetch(`${broker.endpoint}/?Action=ListQueues&QueueNamePrefix=none`, {
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.status, 200);
    });

    it("reads a form with an X-Amz-Target header as Query, as Perl's Amazon::SQS::Simple sends it", async () => {
      const name = broker.uniqueName("perl");
      const response = await fetch(`${broker.endpoint}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded;charset=utf-8",
          "x-amz-target": "AmazonSQSv20121105.CreateQueue",
        },
        body: new URLSearchParams({ Action: "CreateQueue", QueueName: name }).toString(),
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/xml");
      assert.equal(
        new URL(element(await response.text(), "QueueUrl") ?? "").pathname,
        `/000000000000/${name}`,
      );
    });

    it("decodes + as a space and percent escapes as UTF-8", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await fetch(`${broker.endpoint}/`, {
        method: "POST",
        headers: { "content-type": FORM },
        body: `Action=SendMessage&QueueUrl=${encodeURIComponent(QueueUrl)}&MessageBody=a+b%20%C3%A9%F0%9F%98%80`,
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.status, 200);
      const received = await post({ Action: "ReceiveMessage", QueueUrl });
      assert.equal(element(received.text, "Body"), "a b é😀");
    });
  });

  describe("errors", () => {
    it("refuses more than 10,000 parameters, and ignores a key deeper than any SQS parameter", async () => {
      // A body of `a=1&` up to the size limit would be 1.5 million parameters to read
      const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`Extra${i}`, "1"]));
      assertError(await post({ Action: "ListQueues", ...many }), {
        status: 400,
        code: "InvalidParameterValue",
        message: "A request can have at most 10000 parameters; this one has more.",
      });
      // A key of a million dots names nothing: read, it would build a node per dot
      // CPU time (the broker runs in this process): a busy host stretches wall time, not this
      const started = process.cpuUsage();
      const deep = await post({ Action: "ListQueues", [".".repeat(1_000_000)]: "1" });
      assert.equal(deep.status, 200, deep.text);
      const { user, system } = process.cpuUsage(started);
      assert.ok(user + system < 4_000_000, "a deep key is skipped, not read");
    });

    it("reports an unknown queue with SQS's Query code and text", async () => {
      const response = await post({ Action: "GetQueueUrl", QueueName: broker.uniqueName("ghost") });
      assertError(response, {
        status: 400,
        code: "AWS.SimpleQueueService.NonExistentQueue",
        message: "The specified queue does not exist for this wsdl version.",
      });
    });

    it("reports an unknown Action as InvalidAction", async () => {
      const response = await post({ Action: "FooBar" });
      assertError(response, {
        status: 400,
        code: "InvalidAction",
        message: "The action FooBar is not valid for this endpoint.",
      });
    });

    it("reports CreateQueue and ListQueues posted to a queue URL as InvalidAction", async () => {
      const QueueUrl = await broker.createQueue();
      for (const Action of ["ListQueues", "CreateQueue"]) {
        const response = await post({ Action, QueueName: "x" }, queuePath(QueueUrl));
        assertError(response, {
          status: 400,
          code: "InvalidAction",
          message: `The action ${Action} is not valid for this endpoint.`,
        });
      }
    });

    it("takes a path of slashes alone as the endpoint's root (an endpoint given with a trailing /)", async () => {
      const QueueName = broker.uniqueName("slashes");
      const created = await post({ Action: "CreateQueue", QueueName }, "//");
      assert.equal(created.status, 200, created.text);
      const listed = await post({ Action: "ListQueues", QueueNamePrefix: QueueName }, "///");
      assert.equal(element(listed.text, "QueueUrl"), element(created.text, "QueueUrl"));
    });

    it("answers GetQueueUrl posted to a queue URL, for any queue, as SQS does", async () => {
      const here = await broker.createQueue();
      const other = await broker.createQueue();
      const name = new URL(other).pathname.split("/").pop()!;
      const response = await post({ Action: "GetQueueUrl", QueueName: name }, queuePath(here));
      assert.equal(element(response.text, "QueueUrl"), other);
    });

    it("reports a POST without Action as MissingAction", async () => {
      const response = await post({});
      assertError(response, {
        status: 400,
        code: "MissingAction",
        message: "The request must contain the parameter Action.",
      });
    });

    it("answers a GET of a queue URL without Action with a bare 404, as SQS does", async () => {
      const QueueUrl = await broker.createQueue();
      const response = await get("", queuePath(QueueUrl));
      assert.equal(response.status, 404);
      assert.equal(response.text, "<UnknownOperationException/>");
    });

    it("answers other HTTP methods as an unknown operation", async () => {
      const QueueUrl = await broker.createQueue();
      for (const method of ["PUT", "DELETE", "PATCH"]) {
        const response = await get("Action=DeleteQueue", queuePath(QueueUrl), method);
        assert.equal(response.status, 404, method);
        assert.equal(response.text, "<UnknownOperationException/>");
      }
      const { Attributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      assert.ok(Attributes?.QueueArn, "the queue is still there");
    });

    it("names a missing parameter by its Query name", async () => {
      const QueueUrl = await broker.createQueue();
      assertError(await post({ Action: "SendMessage", QueueUrl }), {
        status: 400,
        code: "MissingParameter",
        message: "The request must contain the parameter MessageBody.",
      });
      // An empty batch cannot be told from a missing one in the Query protocol.
      assertError(await post({ Action: "SendMessageBatch", QueueUrl }), {
        status: 400,
        code: "MissingParameter",
        message: "The request must contain the parameter SendMessageBatchRequestEntry.1.Id.",
      });
      assertError(
        await post({
          Action: "SendMessageBatch",
          QueueUrl,
          "SendMessageBatchRequestEntry.1.Id": "a",
          "SendMessageBatchRequestEntry.1.MessageBody": "x",
          "SendMessageBatchRequestEntry.2.Id": "b",
        }),
        {
          status: 400,
          code: "MissingParameter",
          message:
            "The request must contain the parameter SendMessageBatchRequestEntry.2.MessageBody.",
        },
      );
    });

    it("refuses a value that is not an integer or a boolean with InvalidParameterValue", async () => {
      const QueueUrl = await broker.createQueue();
      assertError(
        await post({ Action: "SendMessage", QueueUrl, MessageBody: "x", DelaySeconds: "soon" }),
        {
          status: 400,
          code: "InvalidParameterValue",
          message: "Value soon for parameter DelaySeconds is invalid. Reason: Must be an integer.",
        },
      );
      assertError(
        await post({
          Action: "SendMessage",
          QueueUrl,
          MessageBody: "x",
          "MessageAttribute.1.Name": "b",
          "MessageAttribute.1.Value.DataType": "Binary",
          "MessageAttribute.1.Value.BinaryValue": "not base64!",
        }),
        {
          status: 400,
          code: "InvalidParameterValue",
          message:
            "Value not base64! for parameter MessageAttribute.1.Value.BinaryValue is invalid. Reason: Must be base64 data.",
        },
      );
    });

    it("escapes the message of an error", async () => {
      const response = await post({ Action: "<script>&" });
      assertError(response, {
        status: 400,
        code: "InvalidAction",
        message: "The action &lt;script&gt;&amp; is not valid for this endpoint.",
      });
    });

    it("refuses a body over the limit in XML, before reading it", async () => {
      const response = await fetch(`${broker.endpoint}/`, {
        method: "POST",
        headers: { "content-type": FORM },
        body: `Action=SendMessage&MessageBody=${"x".repeat(7 * 1024 * 1024)}`,
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(response.status, 413);
      assert.ok((await response.text()).includes("<Code>RequestEntityTooLarge</Code>"));
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
