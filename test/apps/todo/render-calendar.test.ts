import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { itemUid, renderCalendar } from "../../../src/apps/todo/render-calendar.ts";
import type { TodoItem } from "../../../src/apps/todo/todo-item.ts";
import { parseIcs } from "./parse-ics.ts";

function item(id: number, fields: Partial<TodoItem>): TodoItem {
  return {
    id,
    title: `Item ${id}`,
    notes: "",
    due: null,
    done: false,
    createdAt: Date.UTC(2026, 0, 1),
    updatedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    ...fields,
  };
}

describe("renderCalendar", () => {
  const list = {
    userId: "alice",
    version: 7,
    changedAt: Date.UTC(2026, 0, 2),
    items: [
      item(1, {
        title: 'Buy milk; eggs, "fresh"',
        due: "2026-12-24",
        notes: "two litres\nand a dozen",
      }),
      item(2, { title: "Call Bob", due: "2026-12-24T15:30", done: true }),
      item(3, { title: "Standup", due: "2026-12-24T09:00:00+10:00" }),
      item(4, { title: "Someday" }),
    ],
  };

  it("gives every item with a due date an event an independent parser reads back as the item", () => {
    const parsed = parseIcs(renderCalendar(list));
    assert.equal(parsed.name, "Todo list of alice");
    assert.equal(parsed.version, "7");
    assert.deepEqual(
      parsed.events.map(({ uid, summary, description, start, allDay, done, transparent }) => ({
        uid,
        summary,
        description,
        start,
        allDay,
        done,
        transparent,
      })),
      [
        {
          uid: itemUid("alice", 1),
          summary: 'Buy milk; eggs, "fresh"',
          description: "two litres\nand a dozen",
          start: "2026-12-24",
          allDay: true,
          done: "FALSE",
          transparent: false,
        },
        {
          uid: itemUid("alice", 2),
          summary: "✓ Call Bob",
          description: null,
          start: "2026-12-24T15:30:00",
          allDay: false,
          done: "TRUE",
          transparent: true,
        },
        {
          uid: itemUid("alice", 3),
          summary: "Standup",
          description: null,
          start: "2026-12-23T23:00:00Z",
          allDay: false,
          done: "FALSE",
          transparent: false,
        },
      ],
    );
  });

  it("renders one version to the same bytes every time (DTSTAMP is the last change)", () => {
    const first = renderCalendar(list);
    assert.equal(renderCalendar(list), first);
    assert.match(first, /^DTSTAMP:20260102T030405Z\r$/m);
  });

  it("leaves out an item whose due date it cannot carry, and renders the rest", () => {
    // Stored before the app refused such dates: an offset of +24:00
    const parsed = parseIcs(
      renderCalendar({
        ...list,
        items: [...list.items, item(5, { due: "2026-12-24T15:30+24:00" })],
      }),
    );
    assert.deepEqual(
      parsed.events.map((event) => event.uid),
      [1, 2, 3].map((id) => itemUid("alice", id)),
    );
  });

  it("ends every line in CRLF, the last one too, and carries no control characters", () => {
    // Stored before the app refused them: a bell and an escape in a title, a NUL in notes
    const text = renderCalendar({
      ...list,
      items: [
        item(6, { title: "Ring\u0007 \u001b[31mred", due: "2026-12-24", notes: "a\u0000b\nc" }),
      ],
    });
    assert.ok(text.endsWith("END:VCALENDAR\r\n"), JSON.stringify(text.slice(-20)));
    // eslint-disable-next-line no-control-regex -- looking for control characters
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    const [event] = parseIcs(text).events;
    assert.equal(event?.summary, "Ring [31mred");
    assert.equal(event?.description, "ab\nc");
  });

  it("renders an empty list as a calendar with no events", () => {
    const parsed = parseIcs(renderCalendar({ ...list, items: [] }));
    assert.deepEqual(parsed.events, []);
  });
});
