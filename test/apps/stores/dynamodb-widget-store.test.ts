import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { AppError } from "../../../src/apps/app-error.ts";
import {
  DYNAMO_TOMBSTONE_PREFIX,
  DynamoWidgetStore,
} from "../../../src/apps/stores/dynamodb-widget-store.ts";
import {
  ensureWidgetTable,
  WIDGET_OWNER_INDEX,
} from "../../../src/apps/stores/ensure-widget-table.ts";
import { openWidgetStore } from "../../../src/apps/stores/open-widget-store.ts";
import { positionOf } from "../../../src/widgets/request-position.ts";
import { applyRequest } from "../../../src/widgets/widget-state.ts";
import type { WidgetState } from "../../../src/widgets/widget-state.ts";
import type { Widget } from "../../../src/widgets/widget.ts";
import { startDynamoServer } from "../../support/dynamo-server.ts";
import type { TestDynamoServer } from "../../support/dynamo-server.ts";
import {
  applyTo,
  collect,
  createOf,
  deleteOf,
  describeWidgetStoreContract,
  updateOf,
  widget,
} from "./widget-store-contract.ts";

/** What a version written by this store looks like: a random id, never a count that could repeat. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeWidgetStoreContract("DynamoWidgetStore", async () => {
  const server = await startDynamoServer();
  return {
    unstorable: { description: "x".repeat(420_000) },
    hasKeyLayout: false,
    async open() {
      const table = await newTable(server);
      const open = () => new DynamoWidgetStore({ documents: server.documents, table });
      return {
        store: open(),
        reopen: async () => open(),
        async assertStored(stored: Widget) {
          const item = await getItem(server, table, stored.id);
          assert.deepEqual(withoutBookkeeping(item), expectedItem(stored));
          assert.equal(typeof item.widget_state, "string");
          assert.match(String(item.state_version), UUID);
        },
        async storeForeign(stored: Widget) {
          const item: Record<string, unknown> = { id: stored.id, owner: stored.owner };
          if (stored.label !== null) item.label = stored.label;
          if (stored.description !== null) item.description = stored.description;
          for (const { name, value } of stored.otherAttributes) item[name] = value;
          await server.documents.send(new PutCommand({ TableName: table, Item: item }));
        },
      };
    },
    dispose: () => server.close(),
  };
});

describe("DynamoWidgetStore", () => {
  let server: TestDynamoServer;
  let table: string;
  let store: DynamoWidgetStore;

  before(async () => {
    server = await startDynamoServer();
    table = await newTable(server);
    store = new DynamoWidgetStore({ documents: server.documents, table });
  });
  after(() => server.close());

  it("flattens every property to a top-level attribute, escaping names it needs itself", async () => {
    const stored = widget({
      description: null,
      otherAttributes: [
        { name: "color", value: "red" },
        { name: "owner", value: "an attribute called owner" },
        { name: "attribute_x", value: "already looks escaped" },
      ],
    });

    await applyTo(store, createOf(stored));

    const item = await getItem(server, table, stored.id);
    assert.deepEqual(withoutBookkeeping(item), {
      id: stored.id,
      owner: "Mary Matthews",
      label: "Blue gizmo",
      color: "red",
      attribute_owner: "an attribute called owner",
      attribute_attribute_x: "already looks escaped",
      other_attribute_names: ["color", "owner", "attribute_x"],
    });
    assert.match(String(item.last_modified_on), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("reads items another program wrote, without its bookkeeping", async () => {
    // As the course's own consumer writes them: properties only.
    const id = "course-written-1";
    await server.documents.send(
      new PutCommand({
        TableName: table,
        Item: { id, owner: "Sue Smith", label: "Old", size: "10", attribute_owner: "escaped" },
      }),
    );

    assert.deepEqual(await store.read({ id, owner: "Sue Smith" }), {
      id,
      owner: "Sue Smith",
      label: "Old",
      description: null,
      otherAttributes: [
        { name: "size", value: "10" },
        { name: "owner", value: "escaped" },
      ],
    });
  });

  it("remembers a delete in a tombstone item, which is never listed as a widget", async () => {
    const gone = widget();
    await applyTo(store, createOf(gone), 1);
    await applyTo(store, deleteOf(gone), 2);

    const widgetItem = await server.documents.send(
      new GetCommand({ TableName: table, Key: { id: gone.id } }),
    );
    assert.equal(widgetItem.Item, undefined);
    const state = await getItem(server, table, `${DYNAMO_TOMBSTONE_PREFIX}${gone.id}`);
    assert.deepEqual(Object.keys(state).sort(), ["id", "state_version", "widget_state"]);
    const listed = (await collect(store.list())).map(({ id }) => id);
    assert.ok(!listed.some((id) => id.includes(gone.id)), listed.join(", "));
  });

  it("puts things right after a consumer died between writing a tombstone and deleting the item", async () => {
    // Given a live widget, and the tombstone of its delete written, as if the consumer died then
    const doomed = widget();
    await applyTo(store, createOf(doomed), 1);
    const removal = deleteOf(doomed);
    const item = await getItem(server, table, doomed.id);
    const state = JSON.parse(String(item.widget_state)) as WidgetState;
    const deleted = applyRequest(
      state,
      removal,
      positionOf(removal, { revision: undefined, sentAt: 2 }),
    );
    await server.documents.send(
      new PutCommand({
        TableName: table,
        Item: {
          id: `${DYNAMO_TOMBSTONE_PREFIX}${doomed.id}`,
          widget_state: JSON.stringify(deleted.state),
          state_version: 1,
        },
      }),
    );

    // When the delete comes back (its message was never deleted) and is recognised
    await applyTo(store, removal, 2);

    // Then the widget's item is gone
    assert.equal(await store.read(doomed), undefined);
  });

  it("a put held up while the widget is deleted and created again does not undo them", async () => {
    // Given a widget (r1), and consumer A applying its update r2 with its put held up
    const first = widget({ label: "first" });
    await applyTo(store, createOf(first), 1);
    const slow = holdingFirstPut(server);
    const consumerA = new DynamoWidgetStore({ documents: slow.documents, table });
    const updating = applyTo(consumerA, updateOf(first, { label: "updated" }), 2);
    await slow.held;

    // When consumer B deletes it (r3) and creates it again under another owner (r4),
    // and only then A's put goes through
    await applyTo(store, deleteOf(first), 3);
    const second = { ...first, owner: "Sue Smith", label: "second" };
    await applyTo(store, createOf(second), 4);
    slow.release();
    await updating;

    // Then the widget is the one r4 created, as if the requests ran in order
    assert.deepEqual(await store.read(first), second);
  });

  it("a tombstone put held up while the widget is created and deleted again does not forget them", async () => {
    // Given a widget created (10) and deleted (20), and consumer A applying an
    // update produced in between (25) with its tombstone put held up
    const gone = widget();
    const again = createOf(gone);
    await applyTo(store, createOf(gone), 10);
    await applyTo(store, deleteOf(gone), 20);
    const slow = holdingFirstPut(server);
    const consumerA = new DynamoWidgetStore({ documents: slow.documents, table });
    const updating = applyTo(consumerA, updateOf(gone, { label: "late" }), 25);
    await slow.held;

    // When consumer B creates it again (30) and deletes it again (40),
    // and only then A's put goes through
    await applyTo(store, again, 30);
    await applyTo(store, deleteOf(gone), 40);
    slow.release();
    await updating;

    // Then a late copy of the second create is known, and the widget stays deleted
    await applyTo(store, again, 30);
    assert.equal(await store.read(gone), undefined);
  });

  it("ensureWidgetTable makes HW1's table, and is harmless when it exists", async () => {
    const name = `widgets-${randomBytes(4).toString("hex")}`;

    await Promise.all([
      ensureWidgetTable(server.client, name),
      ensureWidgetTable(server.client, name),
    ]);
    await ensureWidgetTable(server.client, name);

    const { Table } = await server.client.send(new DescribeTableCommand({ TableName: name }));
    assert.equal(Table?.TableStatus, "ACTIVE");
    assert.deepEqual(Table?.KeySchema, [{ AttributeName: "id", KeyType: "HASH" }]);
    assert.deepEqual(
      Table?.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema }) => ({ IndexName, KeySchema })),
      [
        {
          IndexName: WIDGET_OWNER_INDEX,
          KeySchema: [
            { AttributeName: "owner", KeyType: "HASH" },
            { AttributeName: "last_modified_on", KeyType: "RANGE" },
          ],
        },
      ],
    );
  });

  it("names a missing table in one line, keeping the SDK error as the cause", async () => {
    const lost = new DynamoWidgetStore({ documents: server.documents, table: "no-such-table" });

    for (const attempt of [
      () => applyTo(lost, createOf(widget())),
      () => lost.read(widget()),
      () => collect(lost.list()),
    ]) {
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.message, "The DynamoDB table no-such-table does not exist");
        assert.equal((error.cause as Error).name, "ResourceNotFoundException");
        return true;
      });
    }
  });

  it("is what openWidgetStore opens for kind dynamodb, with a client of its own", async () => {
    const opened = await openWidgetStore({ kind: "dynamodb", table }, server.connection);
    const stored = widget();
    await applyTo(opened, createOf(stored));

    assert.equal(opened.kind, "DynamoDB");
    assert.equal(opened.location, table);
    assert.deepEqual(await store.read(stored), stored);
    await opened.close();
  });
});

async function newTable(server: TestDynamoServer): Promise<string> {
  const table = `widgets-${randomBytes(5).toString("hex")}`;
  await ensureWidgetTable(server.client, table);
  return table;
}

/**
 * A document client, as a slow consumer has, whose first PutItem waits for
 * `release()`; `held` resolves once it is waiting.
 */
function holdingFirstPut(server: TestDynamoServer): {
  documents: DynamoDBDocumentClient;
  held: Promise<void>;
  release: () => void;
} {
  const documents = DynamoDBDocumentClient.from(server.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const send = documents.send.bind(documents) as (command: unknown) => Promise<unknown>;
  let holding = () => {};
  const held = new Promise<void>((resolve) => (holding = resolve));
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  documents.send = (async (command: unknown) => {
    if (first && command instanceof PutCommand) {
      first = false;
      holding();
      await released;
    }
    return send(command);
  }) as typeof documents.send;
  return { documents, held, release: () => release() };
}

async function getItem(
  server: TestDynamoServer,
  table: string,
  id: string,
): Promise<Record<string, unknown>> {
  const { Item } = await server.documents.send(new GetCommand({ TableName: table, Key: { id } }));
  assert.ok(Item, `item ${id} exists`);
  return Item;
}

/** The item as the course's readers see it, with Mailroom's bookkeeping. */
function expectedItem(stored: Widget): Record<string, unknown> {
  const item: Record<string, unknown> = { id: stored.id, owner: stored.owner };
  if (stored.label !== null) item.label = stored.label;
  if (stored.description !== null) item.description = stored.description;
  for (const { name, value } of stored.otherAttributes) item[name] = value;
  if (stored.otherAttributes.length > 0) {
    item.other_attribute_names = stored.otherAttributes.map(({ name }) => name);
  }
  return item;
}

/** The item without the time and the state, which the course's readers do not know. */
function withoutBookkeeping(item: Record<string, unknown>): Record<string, unknown> {
  const { last_modified_on: modified, widget_state: state, state_version: version, ...rest } = item;
  assert.equal(typeof modified, "string");
  assert.equal(typeof state, "string");
  assert.match(String(version), UUID);
  return rest;
}
