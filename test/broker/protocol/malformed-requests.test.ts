import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { actions } from "../../../src/broker/protocol/actions/index.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/**
 * Thousands of malformed requests, both protocols, from a fixed seed: every
 * one gets an answer under 500 in its protocol's error format, and the
 * broker keeps serving. Mutations start from valid requests of every action,
 * so they reach past the first check.
 */

const SEED = 20261204;
const REQUESTS_PER_PROTOCOL = 1_500;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: readonly unknown[] = [
  null,
  "",
  "x".repeat(300),
  -1,
  1.5,
  1e21,
  true,
  [],
  [null],
  {},
  { __proto__: null, a: 1 },
  "__proto__",
  "\u0000",
  "\ud800",
  "AQID",
  "not base64!",
  "999999999999999999999",
];

describe("malformed requests", () => {
  let broker: TestBroker;
  let queueUrl: string;
  let fifoUrl: string;

  before(async () => {
    broker = await startTestBroker();
    queueUrl = await broker.createQueue({}, "fuzz");
    fifoUrl = await broker.createFifoQueue({}, "fuzz");
  });
  after(() => broker.close());

  /** A valid-looking JSON request of every action, to mutate. */
  const seeds = (): Array<[string, Record<string, unknown>]> => [
    ["SendMessage", { QueueUrl: queueUrl, MessageBody: "b", DelaySeconds: 0 }],
    [
      "SendMessage",
      {
        QueueUrl: queueUrl,
        MessageBody: "b",
        MessageAttributes: { a: { DataType: "String", StringValue: "v" } },
      },
    ],
    [
      "SendMessageBatch",
      { QueueUrl: fifoUrl, Entries: [{ Id: "a", MessageBody: "b", MessageGroupId: "g" }] },
    ],
    ["ReceiveMessage", { QueueUrl: queueUrl, MaxNumberOfMessages: 2, AttributeNames: ["All"] }],
    ["DeleteMessageBatch", { QueueUrl: queueUrl, Entries: [{ Id: "a", ReceiptHandle: "x" }] }],
    ["ChangeMessageVisibility", { QueueUrl: queueUrl, ReceiptHandle: "x", VisibilityTimeout: 1 }],
    ["CreateQueue", { QueueName: "fuzz-made", Attributes: { DelaySeconds: "1" } }],
    ["SetQueueAttributes", { QueueUrl: queueUrl, Attributes: { VisibilityTimeout: "31" } }],
    ["GetQueueAttributes", { QueueUrl: queueUrl, AttributeNames: ["All"] }],
    ["TagQueue", { QueueUrl: queueUrl, Tags: { k: "v" } }],
    ["ListQueues", { QueueNamePrefix: "fuzz", MaxResults: 5 }],
    ["StartMessageMoveTask", { SourceArn: "arn:aws:sqs:us-east-1:000000000000:x" }],
    ["AddPermission", { QueueUrl: queueUrl, Label: "l", AWSAccountIds: ["1"], Actions: ["*"] }],
  ];

  function mutate(value: Record<string, unknown>, next: () => number): Record<string, unknown> {
    const copy = structuredClone(value);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const paths: Array<[Record<string, unknown>, string]> = [];
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      for (const key of Object.keys(node)) {
        paths.push([node as Record<string, unknown>, key]);
        walk((node as Record<string, unknown>)[key]);
      }
    };
    walk(copy);
    for (let i = 0, n = 1 + Math.floor(next() * 3); i < n && paths.length > 0; i++) {
      const [parent, key] = pick(paths);
      const roll = next();
      if (roll < 0.6) parent[key] = pick(ODD_VALUES);
      else if (roll < 0.8) delete parent[key];
      else parent[pick(["__proto__", "Extra", "1", key + key])] = pick(ODD_VALUES);
    }
    return copy;
  }

  /** The same value as Query parameters, flattened as SQS names them (crudely, on purpose). */
  function asForm(action: string, input: Record<string, unknown>): string {
    const params = new URLSearchParams({ Action: action });
    const add = (prefix: string, value: unknown): void => {
      // Indexes rather than forEach: a mutation may have replaced an array's prototype.
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) add(`${prefix}.${i + 1}`, value[i]);
      } else if (value !== null && typeof value === "object") {
        Object.entries(value).forEach(([key, item], i) => {
          add(`${prefix}.${i + 1}.Name`, key);
          add(`${prefix}.${i + 1}.Value`, item);
          add(`${prefix}.${key}`, item);
        });
      } else params.append(prefix, String(value));
    };
    for (const [key, value] of Object.entries(input)) add(key, value);
    return params.toString();
  }

  for (const protocol of ["json", "query"] as const) {
    it(`answers every mutated ${protocol} request below 500, in the protocol's format`, async () => {
      const next = random(SEED + (protocol === "json" ? 0 : 1));
      const names = [...actions.keys()];
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < REQUESTS_PER_PROTOCOL; i++) {
        const useSeed = next() < 0.85;
        const [action, valid] = useSeed
          ? seeds()[Math.floor(next() * seeds().length)]!
          : [names[Math.floor(next() * names.length)]!, {}];
        const input = mutate(valid, next);
        const response = await fetch(`${broker.endpoint}/`, {
          method: "POST",
          headers:
            protocol === "json"
              ? {
                  "content-type": "application/x-amz-json-1.0",
                  "x-amz-target": `AmazonSQS.${action}`,
                }
              : { "content-type": "application/x-www-form-urlencoded" },
          body: protocol === "json" ? JSON.stringify(input) : asForm(action, input),
          signal: AbortSignal.timeout(5_000),
        });
        const text = await response.text();
        assert.ok(
          response.status < 500,
          `${response.status} for ${action} ${JSON.stringify(input)}: ${text}`,
        );
        if (response.status >= 400) {
          if (protocol === "json") assert.match(text, /"__type":/, text);
          else assert.match(text, /<ErrorResponse xmlns=/, text);
          refused++;
        } else accepted++;
      }
      // The mutations reached both the actions and their validation.
      assert.ok(accepted > 0 && refused > 0, `${accepted} accepted, ${refused} refused`);
    });
  }

  it("keeps a message attribute named __proto__ as an attribute, in both directions", async () => {
    // Raw JSON both ways: what an SDK then makes of such a key is its own business.
    const post = async (target: string, body: object) =>
      (await (
        await fetch(`${broker.endpoint}/`, {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.0",
            "x-amz-target": `AmazonSQS.${target}`,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5_000),
        })
      ).json()) as Record<string, unknown>;
    const QueueUrl = await broker.createQueue({}, "proto");
    const sent = await post("SendMessage", {
      QueueUrl,
      MessageBody: "proto",
      MessageAttributes: JSON.parse('{"__proto__":{"DataType":"String","StringValue":"kept"}}'),
    });
    assert.ok(sent.MD5OfMessageAttributes, JSON.stringify(sent));
    // Asked for by name as well as with All: the attribute, and the MD5 the send gave.
    for (const names of [["All"], ["__proto__"], ["__proto__", "absent"]]) {
      const received = await post("ReceiveMessage", {
        QueueUrl,
        MessageAttributeNames: names,
        VisibilityTimeout: 0,
      });
      const [message] = received.Messages as Array<{
        MessageAttributes: object;
        MD5OfMessageAttributes: string;
      }>;
      assert.deepEqual(Object.entries(message!.MessageAttributes), [
        ["__proto__", { DataType: "String", StringValue: "kept" }],
      ]);
      assert.equal(message!.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    }
  });
});
