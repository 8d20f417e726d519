import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * The HTTP front under abuse: slow and idle connections are closed by their
 * timeouts, a huge declared body is refused before it is read, a crowd of
 * idle connections does not lock healthy clients out, and malformed input
 * is a 400, never a 500. Timeouts are shortened so every test ends in
 * seconds.
 */

const LIMITS = { headersTimeoutMs: 500, requestTimeoutMs: 1_000, idleTimeoutMs: 500 };
/** Timeouts that leave a crowd of idle connections alone for the length of a test. */
const CROWD_LIMITS = { headersTimeoutMs: 60_000, requestTimeoutMs: 60_000, idleTimeoutMs: 60_000 };

/** When each socket began to connect: the broker's timers start no earlier. */
const connectingSince = new WeakMap<Socket, number>();

/** Opens a raw TCP connection to the broker. */
async function rawConnection(endpoint: string): Promise<Socket> {
  const { hostname, port } = new URL(endpoint);
  const started = Date.now();
  const socket = connect(Number(port), hostname);
  connectingSince.set(socket, started);
  socket.on("error", () => undefined); // a reset by the broker is what some tests expect
  await once(socket, "connect");
  return socket;
}

/**
 * Resolves with how long the socket stayed open, counted from before it
 * connected (a busy event loop may see the connect late, while the broker's
 * idle timer already runs), or rejects after `limitMs`.
 *
 * The broker runs in this process. When the whole process was paused (a
 * starved CI machine), timers fire late and in any order: the limit can
 * fire before the broker's timer, armed after the pause, that would close
 * the socket. A limit that fires more than a second late waits once more.
 */
async function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const started = connectingSince.get(socket) ?? Date.now();
  if (socket.destroyed) return 0;
  // A socket whose bytes are not read never ends, and so never closes.
  socket.resume();
  await Promise.race([
    // Not events.once: it would reject on the reset some of these closes are.
    new Promise((resolve) => socket.once("close", resolve)),
    new Promise((_, reject) => {
      let due = Date.now() + limitMs;
      let waitedAgain = false;
      const check = () => {
        if (Date.now() - due > PAUSED_MS && !waitedAgain) {
          waitedAgain = true;
          due = Date.now() + limitMs;
          setTimeout(check, limitMs).unref();
        } else reject(new Error(`still open after ${limitMs} ms`));
      };
      setTimeout(check, limitMs).unref();
    }),
  ]);
  return Date.now() - started;
}

/** How late a timer fires when this process was paused, not merely busy. */
const PAUSED_MS = 1_000;

/** Everything the socket receives until it closes. */
function collect(socket: Socket): () => string {
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  return () => text;
}

describe("HTTP front, headers timeout shorter than the idle timeout", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker({
      http: { headersTimeoutMs: 300, requestTimeoutMs: 1_000, idleTimeoutMs: 10_000 },
    });
  });
  after(() => broker.close());

  it("closes a connection that never sends a byte after the headers timeout, without an answer", async () => {
    // An answer would be read as the answer to the request the client sends next
    const socket = await rawConnection(broker.endpoint);
    const received = collect(socket);
    const openMs = await closedWithin(socket, 5_000);
    assert.ok(openMs >= 200, `closed after ${openMs} ms, not before the headers timeout`);
    assert.equal(received(), "");
  });
});

describe("HTTP front", () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker({ http: LIMITS });
  });
  after(() => broker.close());

  const healthyRequestSucceeds = async (): Promise<void> => {
    const QueueUrl = await broker.createQueue();
    const sent = await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "ok" }));
    assert.ok(sent.MessageId);
  };

  describe("timeouts", () => {
    it("closes a connection that never sends a byte after the idle timeout", async () => {
      const socket = await rawConnection(broker.endpoint);
      const openMs = await closedWithin(socket, 5_000);
      assert.ok(openMs >= 300, `closed after ${openMs} ms, not before the idle timeout`);
    });

    it("answers 408 and closes a slow-loris connection trickling its headers", async () => {
      // Given a client that sends one header line every 100 ms, never finishing
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      const trickle = setInterval(() => socket.write("X-Slow: yes\r\n"), 100);
      try {
        // Then the headers timeout ends it, though it was never idle for long
        await closedWithin(socket, 5_000);
      } finally {
        clearInterval(trickle);
      }
      assert.match(received(), /^HTTP\/1\.1 408 /);
    });

    it("closes a connection whose body never finishes after the request timeout", async () => {
      const socket = await rawConnection(broker.endpoint);
      socket.write(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n" +
          "X-Amz-Target: AmazonSQS.ListQueues\r\nContent-Length: 100\r\n\r\n{",
      );
      const trickle = setInterval(() => socket.write(" "), 100);
      try {
        await closedWithin(socket, 5_000);
      } finally {
        clearInterval(trickle);
      }
    });

    it("keeps a connection between requests until the idle timeout, not beyond", async () => {
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write("GET /?Action=ListQueues HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      const openMs = await closedWithin(socket, 5_000);
      assert.match(received(), /^HTTP\/1\.1 200 /);
      assert.ok(openMs >= 300, `closed after ${openMs} ms`);
    });

    it("does not cut a long poll that waits longer than the idle timeout", async () => {
      const QueueUrl = await broker.createQueue();
      const { ReceiveMessageCommand } = await import("@aws-sdk/client-sqs");
      const started = Date.now();
      // The test broker's clock is manual: advance it so the poll's 2 s pass in real time too,
      // and again until it answers (on a busy host the poll may reach the broker after 1.5 s).
      const poll = broker.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
      const ticking = setInterval(() => {
        if (Date.now() - started >= 1_500) broker.clock.advance(2_000);
      }, 100);
      try {
        const { Messages } = await poll;
        assert.equal(Messages, undefined);
        assert.ok(Date.now() - started >= 1_400);
      } finally {
        clearInterval(ticking);
      }
    });
  });

  describe("bodies", () => {
    for (const protocol of ["json", "query"] as const) {
      it(`refuses a declared 10 GB body at once, before reading it (${protocol})`, async () => {
        // Given a request that declares 10 GB and sends none of it
        const socket = await rawConnection(broker.endpoint);
        const received = collect(socket);
        const headers =
          protocol === "json"
            ? "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
            : "Content-Type: application/x-www-form-urlencoded\r\n";
        socket.write(
          `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Content-Length: 10737418240\r\n\r\n`,
        );

        // Then 413 comes back at once and the connection is closed
        await closedWithin(socket, 2_000);
        assert.match(received(), /^HTTP\/1\.1 413 /);
        assert.match(received(), /RequestEntityTooLarge/);
        assert.match(received(), /connection: close/i);
      });
    }

    it("answers 413 to Expect: 100-continue with a body over the limit, without 100 first", async () => {
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
          "Content-Length: 10737418240\r\nExpect: 100-continue\r\n\r\n",
      );
      await closedWithin(socket, 2_000);
      assert.match(received(), /^HTTP\/1\.1 413 /);
      assert.doesNotMatch(received(), /100 Continue/);
    });

    it("says 100 Continue to Expect: 100-continue with a body within the limit", async () => {
      const QueueUrl = await broker.createQueue();
      const body = `Action=SendMessage&QueueUrl=${encodeURIComponent(QueueUrl)}&MessageBody=after%20continue`;
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
          `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
      await waitUntil(
        async () => received().startsWith("HTTP/1.1 100 Continue"),
        2_000,
        "100 Continue",
      );
      socket.write(body);
      await closedWithin(socket, 5_000);
      assert.match(received(), /HTTP\/1\.1 200 OK[^]*<MessageId>/);
    });

    it("refuses a chunked body as soon as it passes the limit, and closes", async () => {
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n" +
          "X-Amz-Target: AmazonSQS.SendMessage\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 8 && !socket.destroyed; i++) {
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        socket.write("\r\n");
      }
      await closedWithin(socket, 5_000);
      assert.match(received(), /^HTTP\/1\.1 413 /);
    });
  });

  describe("crowds", () => {
    it("serves healthy clients while 1,000 idle connections are held", async () => {
      // Given a broker with its timeouts long enough to hold a crowd
      const crowded = await startTestBroker({ http: CROWD_LIMITS });
      const idle: Socket[] = [];
      try {
        for (let i = 0; i < 1_000; i++) {
          const socket = await rawConnection(crowded.endpoint);
          // Read, so that a close by the broker is seen (an unread answer holds it off)
          socket.resume();
          idle.push(socket);
        }

        // When healthy clients make requests
        const QueueUrl = await crowded.createQueue();
        for (let i = 0; i < 20; i++) {
          await crowded.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
        }

        // Then every one succeeds, and the crowd is still connected
        const counts = await crowded.messageCounts(QueueUrl);
        assert.equal(counts?.ApproximateNumberOfMessages, "20");
        assert.equal(idle.filter((socket) => socket.destroyed).length, 0);
      } finally {
        for (const socket of idle) socket.destroy();
        await crowded.close();
      }
    });

    it("at the connection cap, closes the longest-idle connection to let a new client in", async () => {
      const capped = await startTestBroker({ http: { ...CROWD_LIMITS, maxConnections: 20 } });
      const idle: Socket[] = [];
      try {
        for (let i = 0; i < 20; i++) idle.push(await rawConnection(capped.endpoint));
        const QueueUrl = await capped.createQueue();
        await capped.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "let in" }));
        await closedWithin(idle[0]!, 2_000);
      } finally {
        for (const socket of idle) socket.destroy();
        await capped.close();
      }
    });
  });

  describe("malformed input", () => {
    const post = async (target: string, body: string) => {
      const response = await fetch(`${broker.endpoint}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": `AmazonSQS.${target}`,
        },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };

    it("answers pipelined requests before refusing the bytes after them that are not HTTP", async () => {
      // Given two sends pipelined in one write, then a request line with a bad Content-Length
      const QueueUrl = await broker.createQueue();
      const send = (body: string) => {
        const form = `Action=SendMessage&QueueUrl=${encodeURIComponent(QueueUrl)}&MessageBody=${body}`;
        return (
          "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
          `Content-Length: ${form.length}\r\n\r\n${form}`
        );
      };
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write(`${send("first")}${send("second")}GET / HTTP/1.1\r\nContent-Length: zz\r\n\r\n`);

      // Then both sends are answered 200, in order, and only then 400 and a close
      await closedWithin(socket, 5_000);
      const statuses = [...received().matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);
      assert.deepEqual(statuses, ["200", "200", "400"], received());
      const { Attributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages"],
        }),
      );
      assert.equal(Attributes?.ApproximateNumberOfMessages, "2");
    });

    it("refuses a client once while its long poll is answered, however many bad chunks follow", async () => {
      // Given a long poll, then bad bytes in many separate writes while it waits
      const QueueUrl = await broker.createQueue();
      const form = `Action=ReceiveMessage&QueueUrl=${encodeURIComponent(QueueUrl)}&WaitTimeSeconds=1`;
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
      process.on("warning", onWarning);
      try {
        const socket = await rawConnection(broker.endpoint);
        const received = collect(socket);
        socket.write(
          "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
            `Content-Length: ${form.length}\r\n\r\n${form}GARBAGE\r\n`,
        );
        for (let chunk = 0; chunk < 20 && !socket.destroyed; chunk += 1) {
          await sleep(20);
          socket.write(`more garbage ${chunk}\r\n`);
        }
        // Then, once the poll ends, its answer, then one 400, and nothing piled up meanwhile
        broker.clock.advance(1_000);
        await closedWithin(socket, 5_000);
        const statuses = [...received().matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);
        assert.deepEqual(statuses, ["200", "400"], received());
        await sleep(50);
        assert.deepEqual(warnings, []);
      } finally {
        process.off("warning", onWarning);
      }
    });

    it("reads the Content-Type's media type in any case", async () => {
      // A form with X-Amz-Target is Query when its type says so, whatever the case
      const response = await fetch(broker.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "Application/X-WWW-Form-Urlencoded",
          "X-Amz-Target": "AmazonSQSv20121105.ListQueues",
        },
        body: "Action=ListQueues&Version=2012-11-05",
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<ListQueuesResponse/);
    });

    it("answers a null batch entry with 400, on every batch action", async () => {
      const QueueUrl = await broker.createQueue();
      for (const target of [
        "SendMessageBatch",
        "DeleteMessageBatch",
        "ChangeMessageVisibilityBatch",
      ]) {
        const response = await post(target, JSON.stringify({ QueueUrl, Entries: [null] }));
        assert.equal(response.status, 400, target);
        assert.equal(response.json.__type, "com.amazon.coral.service#SerializationException");
      }
    });

    it("answers a null message attribute, and null list items, with 400", async () => {
      const QueueUrl = await broker.createQueue();
      for (const body of [
        { QueueUrl, MessageBody: "x", MessageAttributes: { a: null } },
        { QueueUrl, MessageBody: "x", MessageAttributes: { a: { DataType: null } } },
        { QueueUrl, MessageBody: "x", MessageSystemAttributes: { AWSTraceHeader: null } },
      ]) {
        const response = await post("SendMessage", JSON.stringify(body));
        assert.equal(response.status, 400, JSON.stringify(body));
      }
      const response = await post(
        "GetQueueAttributes",
        JSON.stringify({ QueueUrl, AttributeNames: [null] }),
      );
      assert.equal(response.status, 400);
    });

    it("refuses JSON nesting a million levels deep unparsed, as a body or a value, and takes brackets inside strings", async () => {
      // Given a body of 2 MB of nested arrays (JSON.parse would hold the event loop for seconds)
      const deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
      const refused = await post("SendMessageBatch", `{"QueueUrl":"q","Entries":${deep}}`);
      assert.equal(refused.status, 400);
      assert.equal(refused.json.__type, "com.amazon.coral.service#SerializationException");
      assert.match(String(refused.json.message), /more than 64 levels deep/);

      // And so is such JSON inside a value: a policy attribute (refused unparsed), a NextToken
      const QueueUrl = await broker.createQueue();
      const deepObject = '{"a":'.repeat(300_000) + "1" + "}".repeat(300_000);
      const redrive = await post(
        "SetQueueAttributes",
        JSON.stringify({ QueueUrl, Attributes: { RedrivePolicy: deepObject } }),
      );
      assert.equal(redrive.status, 400);
      assert.match(String(redrive.json.message), /RedrivePolicy\. Reason: failed to parse JSON/);
      const policy = await post(
        "SetQueueAttributes",
        JSON.stringify({ QueueUrl, Attributes: { Policy: deep } }),
      );
      assert.equal(policy.status, 400);
      assert.match(String(policy.json.__type), /InvalidAttributeValue/);
      const NextToken = Buffer.from(deep).toString("base64");
      const listed = await post("ListQueues", JSON.stringify({ MaxResults: 1, NextToken }));
      assert.equal(listed.status, 400);
      assert.match(String(listed.json.message), /Invalid NextToken value/);

      // And a large request whose strings hold any number of brackets is taken
      const nested = "[{".repeat(5_000) + 'say "\\[{"' + "}]".repeat(5_000);
      const taken = await post(
        "SendMessageBatch",
        JSON.stringify({
          QueueUrl,
          Entries: [
            {
              Id: "a",
              MessageBody: nested,
              MessageAttributes: { tag: { DataType: "String", StringValue: "[[{{" } },
            },
          ],
        }),
      );
      assert.equal(taken.status, 200, JSON.stringify(taken.json));
      assert.equal((taken.json.Successful as unknown[]).length, 1);
    });

    it("refuses JSON of more than 10,000 members and items unparsed, as a body or a value, and takes commas inside strings", async () => {
      // Given wide bodies of each kind that held every client for seconds
      // when parsed and walked (TagQueue's 420,000 tags: 5.5 MiB, 9.8 s),
      // written as text: building them as objects takes seconds too
      const QueueUrl = await broker.createQueue();
      const queue = JSON.stringify(QueueUrl);
      const items = (count: number, item: (i: number) => string) =>
        Array.from({ length: count }, (_, i) => item(i)).join(",");
      const map = (count: number, value: string) => `{${items(count, (i) => `"k${i}":${value}`)}}`;
      const attribute = '{"DataType":"String","StringValue":"x"}';
      const entry = (i: number) => `{"Id":"e${i}","MessageBody":"x"}`;
      const wide: [string, () => string][] = [
        ["TagQueue", () => `{"QueueUrl":${queue},"Tags":${map(420_000, '"v"')}}`],
        ["CreateQueue", () => `{"QueueName":"wide-tags","tags":${map(200_000, '"v"')}}`],
        ["SetQueueAttributes", () => `{"QueueUrl":${queue},"Attributes":${map(200_000, '"v"')}}`],
        [
          "SendMessage",
          () =>
            `{"QueueUrl":${queue},"MessageBody":"x","MessageAttributes":${map(120_000, attribute)}}`,
        ],
        ["SendMessageBatch", () => `{"QueueUrl":${queue},"Entries":[${items(150_000, entry)}]}`],
        ["ListQueues", () => map(400_000, "1")],
        // Just over the bound, in a list of strings
        [
          "ReceiveMessage",
          () => `{"QueueUrl":${queue},"MessageAttributeNames":[${items(10_000, () => '"a"')}]}`,
        ],
      ];
      for (const [target, body] of wide) {
        // When it is sent, then it is refused as Query refuses a form of too many parameters
        const refused = await post(target, body());
        assert.equal(refused.status, 400, target);
        assert.equal(
          refused.json.__type,
          "com.amazonaws.sqs#InvalidParameterValueException",
          target,
        );
        assert.equal(
          refused.json.message,
          "A request can have at most 10000 values (object members and array items); this one has more.",
          target,
        );
      }
      // And nothing of them was applied
      const { Tags } = await broker.sqs.send(new ListQueueTagsCommand({ QueueUrl }));
      assert.equal(Tags, undefined);

      // And such JSON inside a value is refused with that value's own error
      const policy = await post(
        "SetQueueAttributes",
        JSON.stringify({ QueueUrl, Attributes: { Policy: map(20_000, "1") } }),
      );
      assert.equal(policy.status, 400);
      assert.match(String(policy.json.__type), /InvalidAttributeValue/);
      assert.equal(
        policy.json.message,
        "Invalid value for the parameter Policy. Reason: the JSON holds more than 10000 values.",
      );

      // And the largest legitimate batch (10 entries of 10 attributes), with
      // strings of commas and brackets, is taken
      const commas = ",[{".repeat(1_000);
      const Entries = Array.from({ length: 10 }, (_, i) => ({
        Id: `e${i}`,
        MessageBody: commas,
        MessageAttributes: Object.fromEntries(
          Array.from({ length: 10 }, (_, a) => [
            `a${a}`,
            { DataType: "String", StringValue: `${commas}x` },
          ]),
        ),
      }));
      const taken = await post("SendMessageBatch", JSON.stringify({ QueueUrl, Entries }));
      assert.equal(taken.status, 200, JSON.stringify(taken.json));
      assert.equal((taken.json.Successful as unknown[]).length, 10);
    });

    it("builds queue URLs from a malformed Host header with the broker's own address", async () => {
      const socket = await rawConnection(broker.endpoint);
      const received = collect(socket);
      socket.write(
        "GET /?Action=CreateQueue&QueueName=hosted HTTP/1.1\r\nHost: evil.example/x?y\r\nConnection: close\r\n\r\n",
      );
      await closedWithin(socket, 2_000);
      const url = /<QueueUrl>([^<]*)<\/QueueUrl>/.exec(received())?.[1];
      assert.equal(url, `${broker.endpoint}/000000000000/hosted`);
    });
  });

  it("still answers healthy clients after all of the above", async () => {
    await healthyRequestSucceeds();
    const QueueUrl = await broker.createQueue();
    const { Attributes } = await broker.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    assert.ok(Attributes?.QueueArn);
  });
});
