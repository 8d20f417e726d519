import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { SqsEngine } from "../../src/broker/engine/sqs-engine.ts";
import { provisionQueues } from "../../src/broker/provisioning/provision-queues.ts";
import {
  parseProvisioningConfig,
  ProvisioningConfigError,
} from "../../src/broker/provisioning/provisioning-config.ts";
import type { ProvisioningConfig } from "../../src/broker/provisioning/provisioning-config.ts";
import { MemoryStore } from "../../src/broker/storage/memory-store.ts";
import { startTestBroker } from "../support/broker-harness.ts";
import type { TestBroker } from "../support/broker-harness.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url);
const ARN_PREFIX = "arn:aws:sqs:us-east-1:000000000000:";

/** Parses `text` and expects a ProvisioningConfigError whose message matches every pattern. */
function assertConfigError(text: string, source: string, ...patterns: RegExp[]): string {
  let caught: unknown;
  try {
    parseProvisioningConfig(text, source);
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof ProvisioningConfigError,
    `expected a ProvisioningConfigError, got ${String(caught)}`,
  );
  for (const pattern of patterns) assert.match(caught.message, pattern);
  return caught.message;
}

function freshEngine(relaxedTiming = false): SqsEngine {
  return new SqsEngine({ store: new MemoryStore(), relaxedTiming });
}

describe("parseProvisioningConfig", () => {
  it("reads YAML: names, attributes as written, tags and a dead-letter queue", () => {
    const config = parseProvisioningConfig(
      [
        "queues:",
        "  - name: orders",
        "    attributes: { VisibilityTimeout: 45, DelaySeconds: 2 }",
        "    tags: { team: shipping }",
        "    deadLetterQueue: { name: orders-dlq, maxReceiveCount: 3 }",
        "  - name: events.fifo",
        "    attributes:",
        "      ContentBasedDeduplication: true",
      ].join("\n"),
      "queues.yaml",
    );
    assert.deepEqual(config, {
      queues: [
        {
          name: "orders",
          attributes: { VisibilityTimeout: "45", DelaySeconds: "2" },
          tags: { team: "shipping" },
          deadLetterQueue: { name: "orders-dlq", maxReceiveCount: 3 },
        },
        { name: "events.fifo", attributes: { ContentBasedDeduplication: "true" } },
      ],
      source: "queues.yaml",
    });
  });

  it("reads JSON when the source ends in .json", () => {
    const config = parseProvisioningConfig(
      JSON.stringify({ queues: [{ name: "a", tags: { k: "v" } }] }),
      "queues.json",
    );
    assert.deepEqual(config, { queues: [{ name: "a", tags: { k: "v" } }], source: "queues.json" });
  });

  it("reads .yml files as YAML", () => {
    const config = parseProvisioningConfig("queues:\n  - name: a\n", "queues.yml");
    assert.deepEqual(config, { queues: [{ name: "a" }], source: "queues.yml" });
  });

  it("accepts an empty queue list", () => {
    assert.deepEqual(parseProvisioningConfig("queues: []\n", "empty.yaml"), {
      queues: [],
      source: "empty.yaml",
    });
  });

  it("the shipped YAML and JSON examples declare the same queues", () => {
    const yaml = parseProvisioningConfig(
      readFileSync(new URL("mailroom.yaml", EXAMPLES), "utf8"),
      "mailroom.yaml",
    );
    const json = parseProvisioningConfig(
      readFileSync(new URL("mailroom.json", EXAMPLES), "utf8"),
      "mailroom.json",
    );
    assert.deepEqual(yaml.queues, json.queues);
    const names = yaml.queues.map((q) => q.name);
    for (const name of [
      "csse6400_prac",
      "csse6400_prac.fifo",
      "cs5260-requests",
      "cs5260-requests-dlq",
    ]) {
      assert.ok(names.includes(name), `examples declare ${name}`);
    }
    const fifo = yaml.queues.find((q) => q.name === "csse6400_prac.fifo")!;
    assert.equal(String(fifo.attributes?.ContentBasedDeduplication), "true");
    const requests = yaml.queues.find((q) => q.name === "cs5260-requests")!;
    assert.equal(requests.deadLetterQueue?.name, "cs5260-requests-dlq");
    assert.ok(Number(requests.attributes?.VisibilityTimeout) > 0);
  });

  describe("errors name the file and what is wrong", () => {
    it("invalid JSON", () => {
      assertConfigError('{"queues": [', "broken.json", /^broken\.json: /, /not valid JSON/);
    });

    it("invalid YAML", () => {
      assertConfigError(
        "queues:\n  - name: [x\n",
        "broken.yaml",
        /^broken\.yaml: /,
        /not valid YAML/,
      );
    });

    it("invalid YAML is reported on one line, with where the error is", () => {
      // The CLI prints this message as its one error line.
      const message = assertConfigError("queues:\n  - name: [x\n", "broken.yaml", /line \d+/);
      assert.doesNotMatch(message, /:\s*$/, "no dangling colon");
      assert.ok(!message.includes("\n"), `one line, got ${JSON.stringify(message)}`);
    });

    it("no queues list", () => {
      assertConfigError("{}", "a.json", /^a\.json: /, /"queues" list/);
      assertConfigError("queues: 3\n", "a.yaml", /"queues" list/);
      assertConfigError("", "empty.yaml", /^empty\.yaml: /, /"queues" list/);
      assertConfigError("- name: a\n", "list.yaml", /"queues" list/);
    });

    it("a queue that is not an object", () => {
      assertConfigError("queues:\n  - just-a-name\n", "a.yaml", /queues\[0\]/, /object/);
    });

    it("a queue without a name", () => {
      assertConfigError(
        "queues:\n  - name: ok\n  - tags: { a: b }\n",
        "a.yaml",
        /queues\[1\]/,
        /"name"/,
      );
      assertConfigError('{"queues": [{"name": ""}]}', "a.json", /queues\[0\]/, /"name"/);
      assertConfigError('{"queues": [{"name": 7}]}', "a.json", /queues\[0\]/, /"name"/);
    });

    it("an unknown field, such as a misspelling", () => {
      assertConfigError(
        "queues:\n  - name: a\n    atributes: { VisibilityTimeout: 5 }\n",
        "a.yaml",
        /queues\[0\]/,
        /unknown field "atributes"/,
      );
    });

    it("attributes or tags that are not maps", () => {
      assertConfigError(
        "queues:\n  - name: a\n    attributes: [1, 2]\n",
        "a.yaml",
        /"attributes" must be a map/,
      );
      assertConfigError("queues:\n  - name: a\n    tags: team\n", "a.yaml", /"tags" must be a map/);
    });

    it("a dead-letter queue without a name or an integer maxReceiveCount", () => {
      const where = /queues\[0\]/;
      const what = /"deadLetterQueue"/;
      assertConfigError(
        "queues:\n  - name: a\n    deadLetterQueue: { maxReceiveCount: 3 }\n",
        "a.yaml",
        where,
        what,
      );
      assertConfigError(
        "queues:\n  - name: a\n    deadLetterQueue: { name: d }\n",
        "a.yaml",
        where,
        what,
      );
      assertConfigError(
        "queues:\n  - name: a\n    deadLetterQueue: { name: d, maxReceiveCount: 2.5 }\n",
        "a.yaml",
        what,
      );
      assertConfigError("queues:\n  - name: a\n    deadLetterQueue: dlq\n", "a.yaml", what);
      assertConfigError("queues:\n  - name: a\n    deadLetterQueue: null\n", "a.yaml", what);
    });
  });
});

describe("provisionQueues on an engine", () => {
  it("creates the declared queues with their attributes, tags and redrive policy", () => {
    const engine = freshEngine();
    const created = provisionQueues(engine, {
      queues: [
        {
          name: "work",
          attributes: { VisibilityTimeout: 45, DelaySeconds: 2, MessageRetentionPeriod: 3600 },
          tags: { team: "ops" },
          deadLetterQueue: { name: "work-dlq", maxReceiveCount: 4 },
        },
        { name: "events.fifo", attributes: { ContentBasedDeduplication: true } },
      ],
    });
    assert.deepEqual(new Set(created), new Set(["work", "work-dlq", "events.fifo"]));

    const work = engine.getQueueAttributes("work", ["All"]);
    assert.equal(work.VisibilityTimeout, "45");
    assert.equal(work.DelaySeconds, "2");
    assert.equal(work.MessageRetentionPeriod, "3600");
    assert.deepEqual(JSON.parse(work.RedrivePolicy!), {
      deadLetterTargetArn: `${ARN_PREFIX}work-dlq`,
      maxReceiveCount: 4,
    });
    assert.deepEqual(engine.listQueueTags("work"), { team: "ops" });
    assert.deepEqual(engine.listDeadLetterSourceQueues("work-dlq").names, ["work"]);

    const events = engine.getQueueAttributes("events.fifo", ["All"]);
    assert.equal(events.FifoQueue, "true");
    assert.equal(events.ContentBasedDeduplication, "true");
  });

  it("a FIFO queue's dead-letter queue is FIFO too", () => {
    const engine = freshEngine();
    provisionQueues(engine, {
      queues: [
        { name: "jobs.fifo", deadLetterQueue: { name: "jobs-dlq.fifo", maxReceiveCount: 2 } },
      ],
    });
    assert.equal(engine.getQueueAttributes("jobs-dlq.fifo", ["FifoQueue"]).FifoQueue, "true");
    const policy = JSON.parse(
      engine.getQueueAttributes("jobs.fifo", ["RedrivePolicy"]).RedrivePolicy!,
    );
    assert.equal(policy.deadLetterTargetArn, `${ARN_PREFIX}jobs-dlq.fifo`);
  });

  it("creates only what is missing and leaves existing queues as they are", () => {
    // Relaxed timing: a deleted name may be re-created at once.
    const engine = freshEngine(true);
    const config: ProvisioningConfig = {
      queues: [
        { name: "a", attributes: { VisibilityTimeout: 10 }, tags: { v: "1" } },
        { name: "b", deadLetterQueue: { name: "b-dlq", maxReceiveCount: 3 } },
      ],
    };
    provisionQueues(engine, config);
    // Given a user changed a provisioned queue and deleted another
    engine.setQueueAttributes("a", { VisibilityTimeout: "99" });
    engine.tagQueue("a", { v: "2" });
    engine.deleteQueue("b");

    // When provisioning runs again (the next start)
    const created = provisionQueues(engine, config);

    // Then only the missing queue is created and the change is kept
    assert.deepEqual(created, ["b"]);
    assert.equal(engine.getQueueAttributes("a", ["VisibilityTimeout"]).VisibilityTimeout, "99");
    assert.deepEqual(engine.listQueueTags("a"), { v: "2" });
    assert.deepEqual(provisionQueues(engine, config), []);
  });

  it("a dead-letter queue also declared later in the file gets its declared attributes and tags", () => {
    // Order in the file should not decide whether a declaration is honoured.
    const engine = freshEngine();
    provisionQueues(engine, {
      queues: [
        { name: "src", deadLetterQueue: { name: "src-dlq", maxReceiveCount: 5 } },
        { name: "src-dlq", attributes: { MessageRetentionPeriod: 1209600 }, tags: { role: "dlq" } },
      ],
    });
    assert.equal(
      engine.getQueueAttributes("src-dlq", ["MessageRetentionPeriod"]).MessageRetentionPeriod,
      "1209600",
    );
    assert.deepEqual(engine.listQueueTags("src-dlq"), { role: "dlq" });
  });

  it("YAML tag values written as numbers or booleans become strings, or are refused clearly", () => {
    const config = parseProvisioningConfig(
      "queues:\n  - name: tagged\n    tags: { year: 2026, graded: true }\n",
      "tags.yaml",
    );
    const engine = freshEngine();
    try {
      provisionQueues(engine, config);
    } catch (error) {
      assert.ok(error instanceof ProvisioningConfigError, String(error));
      // Refusing is fine if the message says what to do: quote the value.
      assert.match(error.message, /year/);
      assert.match(error.message, /string/i);
      return;
    }
    assert.deepEqual(engine.listQueueTags("tagged"), { year: "2026", graded: "true" });
  });

  describe("refuses declarations SQS would refuse, naming the queue", () => {
    const refuse = (config: ProvisioningConfig, ...patterns: RegExp[]) => {
      let caught: unknown;
      try {
        provisionQueues(freshEngine(), config);
      } catch (error) {
        caught = error;
      }
      assert.ok(
        caught instanceof ProvisioningConfigError,
        `expected a ProvisioningConfigError, got ${String(caught)}`,
      );
      for (const pattern of patterns) assert.match(caught.message, pattern);
    };

    it("an invalid queue name", () => {
      refuse({ queues: [{ name: "no spaces allowed" }] }, /no spaces allowed/);
    });

    it("a .fifo name with FifoQueue false, as CreateQueue refuses it", () => {
      refuse(
        { queues: [{ name: "a.fifo", attributes: { FifoQueue: false } }] },
        /queue "a\.fifo"/,
        /FifoQueue|fifo/,
      );
    });

    it("an unknown attribute", () => {
      refuse(
        { queues: [{ name: "a", attributes: { VisibilityTimeOut: 5 } }] },
        /queue "a"/,
        /VisibilityTimeOut/,
      );
    });

    it("an attribute value out of range", () => {
      refuse(
        { queues: [{ name: "a", attributes: { VisibilityTimeout: 50_000 } }] },
        /queue "a"/,
        /VisibilityTimeout/,
      );
    });

    it("a maxReceiveCount out of range", () => {
      refuse(
        { queues: [{ name: "a", deadLetterQueue: { name: "a-dlq", maxReceiveCount: 0 } }] },
        /queue "a"/,
      );
    });

    it("a FIFO queue whose dead-letter queue name is not .fifo", () => {
      refuse(
        { queues: [{ name: "a.fifo", deadLetterQueue: { name: "a-dlq", maxReceiveCount: 3 } }] },
        /a-dlq/,
      );
    });
  });
});

describe("provisioning through createBroker", () => {
  let broker: TestBroker;
  const config = parseProvisioningConfig(
    readFileSync(new URL("mailroom.yaml", EXAMPLES), "utf8"),
    "mailroom.yaml",
  );
  before(async () => (broker = await startTestBroker({ provisioning: config })));
  after(() => broker.close());

  const urlOf = async (name: string) =>
    (await broker.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;

  it("serves the example's queues over the wire", async () => {
    const { QueueUrls = [] } = await broker.sqs.send(new ListQueuesCommand({}));
    const names = QueueUrls.map((url) => url.slice(url.lastIndexOf("/") + 1)).sort();
    assert.deepEqual(names, [
      "cs5260-requests",
      "cs5260-requests-dlq",
      "csse6400_prac",
      "csse6400_prac.fifo",
    ]);

    const requests = await broker.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await urlOf("cs5260-requests"),
        AttributeNames: ["All"],
      }),
    );
    assert.equal(requests.Attributes?.VisibilityTimeout, "30");
    assert.deepEqual(JSON.parse(requests.Attributes!.RedrivePolicy!), {
      deadLetterTargetArn: `${ARN_PREFIX}cs5260-requests-dlq`,
      maxReceiveCount: 5,
    });
    const tags = await broker.sqs.send(
      new ListQueueTagsCommand({ QueueUrl: await urlOf("cs5260-requests") }),
    );
    assert.equal(tags.Tags?.course, "cs5260");
  });

  it("the example FIFO queue deduplicates by content", async () => {
    const QueueUrl = await urlOf("csse6400_prac.fifo");
    const send = () =>
      broker.sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: "same body", MessageGroupId: "g" }),
      );
    const first = await send();
    const second = await send();
    assert.equal(second.MessageId, first.MessageId);
  });
});

/** Parses `text` as `source` and provisions it on `engine`; the error it throws, if any. */
function provisionText(engine: SqsEngine, text: string, source = "c.yaml"): Error | undefined {
  try {
    provisionQueues(engine, parseProvisioningConfig(text, source));
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

/** Expects `text` refused with a one-line ProvisioningConfigError naming the file and matching every pattern. */
function assertRefused(engine: SqsEngine, text: string, ...patterns: RegExp[]): string {
  const error = provisionText(engine, text);
  assert.ok(error instanceof ProvisioningConfigError, `refused, got ${String(error)}`);
  assert.match(error.message, /^c\.yaml: /);
  assert.ok(!error.message.includes("\n"), `one line, got ${JSON.stringify(error.message)}`);
  for (const pattern of patterns) assert.match(error.message, pattern);
  return error.message;
}

const redriveTarget = (engine: SqsEngine, name: string): string =>
  JSON.parse(engine.getQueueAttributes(name, ["RedrivePolicy"]).RedrivePolicy!).deadLetterTargetArn;

describe("dead-letter chains are created in dependency order", () => {
  it("a chain declared from its first queue to its last", () => {
    const engine = freshEngine();
    const error = provisionText(
      engine,
      [
        "queues:",
        "  - name: orders",
        "    deadLetterQueue: { name: orders-retry, maxReceiveCount: 3 }",
        "  - name: orders-retry",
        "    deadLetterQueue: { name: orders-dlq, maxReceiveCount: 3 }",
        "  - name: orders-dlq",
      ].join("\n"),
    );
    assert.equal(error, undefined);
    assert.equal(redriveTarget(engine, "orders"), `${ARN_PREFIX}orders-retry`);
    assert.equal(redriveTarget(engine, "orders-retry"), `${ARN_PREFIX}orders-dlq`);
  });

  it("a RedrivePolicy attribute naming a queue declared further down", () => {
    const engine = freshEngine();
    const policy = JSON.stringify({
      deadLetterTargetArn: `${ARN_PREFIX}later`,
      maxReceiveCount: 2,
    });
    const error = provisionText(
      engine,
      `queues:\n  - name: first\n    attributes: { RedrivePolicy: '${policy}' }\n  - name: later\n`,
    );
    assert.equal(error, undefined);
    assert.equal(redriveTarget(engine, "first"), `${ARN_PREFIX}later`);
  });

  it("a queue that is its own dead-letter queue, as AWS allows", () => {
    const engine = freshEngine();
    assert.equal(
      provisionText(
        engine,
        "queues:\n  - name: a\n    deadLetterQueue: { name: a, maxReceiveCount: 5 }\n",
      ),
      undefined,
    );
    assert.equal(redriveTarget(engine, "a"), `${ARN_PREFIX}a`);
  });

  it("a cycle is refused, naming it, and nothing is created", () => {
    const engine = freshEngine();
    assertRefused(
      engine,
      [
        "queues:",
        "  - name: a",
        "    deadLetterQueue: { name: b, maxReceiveCount: 5 }",
        "  - name: b",
        "    deadLetterQueue: { name: a, maxReceiveCount: 5 }",
      ].join("\n"),
      /cycle/,
      /"a" -> "b" -> "a"/,
    );
    assert.deepEqual(engine.listQueues().names, []);
  });
});

describe("the whole file is checked before anything is created", () => {
  it("a bad declaration further down leaves nothing created", () => {
    const engine = freshEngine();
    assertRefused(
      engine,
      "queues:\n  - name: good\n  - name: bad\n    attributes: { VisibilityTimeout: 99999 }\n",
      /queue "bad"/,
      /VisibilityTimeout/,
    );
    assert.deepEqual(engine.listQueues().names, []);
  });

  it("a declaration of a queue that exists already is checked all the same", () => {
    const engine = freshEngine();
    engine.createQueue("a");
    const declare = (lines: string) => `queues:\n  - name: a\n${lines}\n`;
    assertRefused(
      engine,
      declare("    attributes: { VisibilityTimeout: 99999 }"),
      /VisibilityTimeout/,
    );
    assertRefused(engine, declare("    attributes: { Bogus: 1 }"), /Bogus/);
    assertRefused(
      engine,
      declare("    deadLetterQueue: { name: a-dlq, maxReceiveCount: 5000 }"),
      /maxReceiveCount/,
    );
    assert.deepEqual(engine.listQueues().names, ["a"]);
  });

  it("a new queue whose existing dead-letter queue no longer allows it: refused, and nothing else created", () => {
    // Given a data dir whose queue "b" was provisioned, then told to allow no source queue
    const engine = freshEngine();
    provisionQueues(engine, { queues: [{ name: "b" }] });
    engine.setQueueAttributes("b", { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });

    // When a file declares a new queue "x", then "a" with "b" as its dead-letter queue
    let caught: unknown;
    try {
      provisionQueues(engine, {
        source: "r2.yaml",
        queues: [
          { name: "x" },
          { name: "b" },
          { name: "a", deadLetterQueue: { name: "b", maxReceiveCount: 3 } },
        ],
      });
    } catch (error) {
      caught = error;
    }

    // Then it is refused for "a", saying why, and "x" was not created either
    assert.ok(caught instanceof ProvisioningConfigError, String(caught));
    assert.match(caught.message, /^r2\.yaml: queue "a": /);
    assert.match(caught.message, /does not allow .*:a to use it as a dead letter queue/);
    assert.match(caught.message, /queues that exist already/);
    assert.deepEqual(engine.listQueues().names, ["b"]);
  });

  it("a declared queue deleted less than a minute ago is created again at start", () => {
    // Given the 60-second rule in force, and a provisioned queue a client deleted
    const engine = freshEngine(false);
    const config = parseProvisioningConfig("queues:\n  - name: gone\n", "c.yaml");
    provisionQueues(engine, config);
    engine.deleteQueue("gone");

    // When the broker starts again at once with the same config
    const created = provisionQueues(engine, config);

    // Then the queue is back, and clients still get the rule
    assert.deepEqual(created, ["gone"]);
    engine.deleteQueue("gone");
    assert.throws(() => engine.createQueue("gone"), /wait 60 seconds/);
  });
});

describe("values in the file", () => {
  it("maps, lists and empty values as tags or attributes are refused", () => {
    const engine = freshEngine();
    const queue = (lines: string) => `queues:\n  - name: a\n${lines}\n`;
    assertRefused(engine, queue("    tags: { k: { x: 1 } }"), /tag "k"/, /map/);
    assertRefused(engine, queue("    tags: { k: [1] }"), /tag "k"/, /list/);
    assertRefused(engine, queue("    tags: { k: }"), /tag "k"/, /no value/);
    assertRefused(
      engine,
      queue("    attributes: { VisibilityTimeout: [30] }"),
      /"VisibilityTimeout"/,
    );
    assertRefused(engine, queue("    attributes: { DelaySeconds: null }"), /"DelaySeconds"/);
    assert.deepEqual(engine.listQueues().names, []);
  });

  it("Policy, RedrivePolicy and RedriveAllowPolicy may be written as maps, and are sent as JSON", () => {
    const engine = freshEngine();
    const error = provisionText(
      engine,
      [
        "queues:",
        "  - name: dlq",
        "    attributes:",
        "      RedriveAllowPolicy: { redrivePermission: allowAll }",
        '      Policy: { Version: "2012-10-17", Statement: [] }',
        "  - name: src",
        "    attributes:",
        `      RedrivePolicy: { deadLetterTargetArn: "${ARN_PREFIX}dlq", maxReceiveCount: 4 }`,
      ].join("\n"),
    );
    assert.equal(error, undefined);
    const dlq = engine.getQueueAttributes("dlq", ["All"]);
    assert.deepEqual(JSON.parse(dlq.RedriveAllowPolicy!), { redrivePermission: "allowAll" });
    assert.deepEqual(JSON.parse(dlq.Policy!), { Version: "2012-10-17", Statement: [] });
    assert.deepEqual(JSON.parse(engine.getQueueAttributes("src", ["All"]).RedrivePolicy!), {
      deadLetterTargetArn: `${ARN_PREFIX}dlq`,
      maxReceiveCount: 4,
    });
  });

  it("YAML tag and attribute values are read as written, not as numbers", () => {
    const engine = freshEngine();
    const error = provisionText(
      engine,
      [
        "x-defaults: &defaults { VisibilityTimeout: 030 }",
        "queues:",
        "  - name: a",
        "    tags: { version: 1.10, zip: 02134, build: 0x1F, on: true, big: 1e3 }",
        "    attributes:",
        "      <<: *defaults",
        "      DelaySeconds: 5",
      ].join("\n"),
    );
    assert.equal(error, undefined);
    assert.deepEqual(engine.listQueueTags("a"), {
      version: "1.10",
      zip: "02134",
      build: "0x1F",
      on: "true",
      big: "1e3",
    });
    assert.equal(engine.getQueueAttributes("a", ["DelaySeconds"]).DelaySeconds, "5");
    assert.equal(engine.getQueueAttributes("a", ["VisibilityTimeout"]).VisibilityTimeout, "30");
  });

  it("values merged into a queue (`<<: *queue-defaults`) are read as written too", () => {
    const config = parseProvisioningConfig(
      [
        "x-q: &q",
        "  tags: { version: 1.10, zip: 02134 }",
        "  attributes: { DelaySeconds: 05 }",
        "queues:",
        "  - <<: *q",
        "    name: a",
      ].join("\n"),
      "c.yaml",
    );
    assert.deepEqual(config.queues, [
      { name: "a", tags: { version: "1.10", zip: "02134" }, attributes: { DelaySeconds: "05" } },
    ]);
  });
});

describe("the file's shape", () => {
  it("a queue name declared twice is refused, naming it", () => {
    assertRefused(
      freshEngine(),
      "queues:\n  - name: a\n  - name: b\n  - name: a\n",
      /queue "a" is declared twice/,
      /queues\[0\]/,
      /queues\[2\]/,
    );
  });

  it("unknown keys: at the top, in deadLetterQueue; a RedrivePolicy beside deadLetterQueue", () => {
    assertConfigError("queues: []\nserver: { port: 1 }\n", "c.yaml", /^c\.yaml: /, /"server"/);
    assertConfigError(
      "queues:\n  - name: a\n    deadLetterQueue: { name: b, maxReceiveCount: 5, extra: 1 }\n",
      "c.yaml",
      /"extra"/,
      /deadLetterQueue/,
    );
    assertConfigError(
      "queues:\n  - name: a\n    attributes: { RedrivePolicy: x }\n    deadLetterQueue: { name: b, maxReceiveCount: 5 }\n",
      "c.yaml",
      /RedrivePolicy/,
      /deadLetterQueue/,
    );
    // x- keys are left for YAML anchors.
    assert.deepEqual(parseProvisioningConfig("x-any: 1\nqueues: []\n", "c.yaml").queues, []);
  });

  it("a name that YAML reads as a number or a boolean must be quoted", () => {
    assertConfigError("queues:\n  - name: 123\n", "c.yaml", /"name" must be a string/);
    assertConfigError("queues:\n  - name: true\n", "c.yaml", /"name" must be a string/);
  });

  it("errors name the file, and quote names so that they stay on one printable line", () => {
    const message = assertRefused(
      freshEngine(),
      'queues:\n  - name: "a\\nb\\u001b[31m"\n',
      /queue "a\\nb\\u001b\[31m"/,
    );
    assert.ok(!message.includes("\u001b"), "no raw escape character");
    assertConfigError(
      'queues:\n  - name: ok\n    "t\\u001bag": 1\n',
      "c.yaml",
      /unknown field "t\\u001bag"/,
    );
    assertRefused(
      freshEngine(),
      'queues:\n  - name: ok\n    attributes: { "Visibility\\nTimeout": 1 }\n',
      /Visibility\\u000aTimeout/,
    );
  });
});

describe("file formats", () => {
  it("a .json file may start with a byte-order mark", () => {
    const config = parseProvisioningConfig('\uFEFF{"queues": [{"name": "a"}]}', "c.json");
    assert.deepEqual(config.queues, [{ name: "a" }]);
  });

  it("an unknown YAML tag, such as CloudFormation's !Ref, is an error of one line", () => {
    const message = assertConfigError(
      "queues:\n  - name: !Ref QueueName\n",
      "c.yaml",
      /^c\.yaml: not valid YAML: /,
      /!Ref/,
      /line 2/,
    );
    assert.ok(!message.includes("\n"), `one line, got ${JSON.stringify(message)}`);
  });

  it("a YAML file may use aliases once per queue, hundreds of times", () => {
    // Given 500 queues, each merging the same defaults, as the docs suggest
    const lines = ["x-defaults: &defaults", "  VisibilityTimeout: 45", "queues:"];
    for (let i = 0; i < 500; i++)
      lines.push(`  - name: q${i}`, "    attributes:", "      <<: *defaults");

    const config = parseProvisioningConfig(lines.join("\n"), "many.yaml");

    assert.equal(config.queues.length, 500);
    assert.deepEqual(config.queues[499]!.attributes, { VisibilityTimeout: "45" });
  });

  it("a YAML alias bomb is refused in one line naming the file, before its expansion costs much", () => {
    // Given six levels of lists of ten aliases of the level below: a million values written out
    const lines = ["x-a: &a [x, x, x, x, x, x, x, x, x, x]"];
    const levels = "abcdef";
    for (let i = 1; i < levels.length; i++) {
      const below = Array(10).fill(`*${levels[i - 1]}`);
      lines.push(`x-${levels[i]}: &${levels[i]} [${below.join(", ")}]`);
    }
    lines.push("queues:", "  - name: q", "    tags: *f");

    // CPU time, not wall time: a busy host stretches the latter, never the former much
    const started = process.cpuUsage();
    const message = assertConfigError(
      lines.join("\n"),
      "bomb.yaml",
      /^bomb\.yaml: not valid YAML: /,
      /aliases/,
    );

    assert.ok(!message.includes("\n"), `one line, got ${JSON.stringify(message)}`);
    const { user, system } = process.cpuUsage(started);
    assert.ok(
      user + system < 2_000_000,
      `refused within 2 s of CPU, took ${(user + system) / 1e6} s`,
    );
  });

  it("a JSON syntax error says its line and column", () => {
    const message = assertConfigError(
      '{\n  "queues": [\n    {"name": "a",}\n  ]\n}',
      "c.json",
      /line 3, column \d+/,
    );
    assert.ok(!message.includes("\n"), `one line, got ${JSON.stringify(message)}`);
  });
});
