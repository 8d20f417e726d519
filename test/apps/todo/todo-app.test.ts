import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { GetQueueUrlCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { FINAL_STATUSES } from "../../../src/apps/jobs/job-record.ts";
import type { JobRecord } from "../../../src/apps/jobs/job-record.ts";
import { itemUid } from "../../../src/apps/todo/render-calendar.ts";
import type { TodoItem } from "../../../src/apps/todo/todo-item.ts";
import { systemClock } from "../../../src/broker/engine/clock.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";
import type { CliProcess } from "../../support/cli-process.ts";
import { parseIcs } from "./parse-ics.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { call, startTodoApp, startWorker } from "./todo-processes.ts";
import type { RunningTodo } from "./todo-processes.ts";

interface Change {
  item?: TodoItem;
  items?: TodoItem[];
  version: number;
  calendarJob: { id: string; status: string } | null;
}

interface CalendarStatus {
  version: number;
  upToDate: boolean;
  calendar: { version: number } | null;
}

describe("mailroom todo and mailroom worker, as processes", { timeout: 120_000 }, () => {
  let broker: TestBroker;
  let app: RunningTodo;
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-todo-"));
  const processes: CliProcess[] = [];

  before(async () => {
    broker = await startTestBroker({ clock: systemClock });
    app = await startTodoApp(broker.endpoint, dataDir, ["--debounce-ms", "100"]);
    processes.push(app.cli);
  });

  after(async () => {
    for (const cli of processes) await cli.stop("SIGKILL");
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const user = (id: string) => `${app.url}/users/${id}`;

  /**
   * SIGTERM to every worker still running: each finishes what it holds and
   * exits 0. All are stopped before any is judged, and the list keeps them
   * for \`after\` (a child left running would keep the test process alive).
   */
  async function stopWorkers(): Promise<void> {
    const running = processes
      .slice(1)
      .filter((cli) => cli.child.exitCode === null && cli.child.signalCode === null);
    const exits = await Promise.all(
      running.map(async (cli) => {
        const timer = setTimeout(() => cli.child.kill("SIGKILL"), 15_000);
        const exit = await cli.stop();
        clearTimeout(timer);
        return exit;
      }),
    );
    for (const exit of exits) {
      assert.equal(
        exit.code,
        0,
        `a worker did not stop on SIGTERM:\n${exit.stdout}\n${exit.stderr}`,
      );
    }
  }

  async function upToDate(userId: string): Promise<CalendarStatus> {
    let status: CalendarStatus | undefined;
    await waitUntil(
      async () => {
        status = (await call<CalendarStatus>(`${user(userId)}/calendar`)).json;
        return status.upToDate;
      },
      20_000,
      `${userId}'s calendar up to date`,
    );
    return status!;
  }

  async function job(id: string): Promise<JobRecord> {
    return (await call<JobRecord>(`${app.url}/jobs/${id}`)).json;
  }

  it("renders each user's calendar from their items, served with ETag and Last-Modified", async () => {
    const worker = await startWorker(broker.endpoint, dataDir);
    processes.push(worker);

    // Given a list made through the API: added at once, edited, ticked off two at once, one deleted
    const added = await call<Change>(`${user("alice")}/items`, {
      method: "POST",
      body: [
        { title: "Buy milk", due: "2026-12-24", notes: "two litres" },
        { title: "Call <Bob>", due: "2026-12-24T15:30" },
        { title: "Standup", due: "2026-12-23T23:00:00Z" },
        { title: "Someday, maybe" },
        { title: "Throw away", due: "2026-12-30" },
      ],
    });
    assert.equal(added.status, 201);
    // Every item added is answered, in the order given
    const addedItems = added.json.items ?? [];
    assert.deepEqual(
      addedItems.map((item) => item.title),
      ["Buy milk", "Call <Bob>", "Standup", "Someday, maybe", "Throw away"],
    );
    const [milk, bob, standup, , throwAway] = addedItems.map((item) => item.id);
    const edited = await call<Change>(`${user("alice")}/items/${standup}`, {
      method: "PATCH",
      body: { notes: "room 4", due: "2026-12-22T23:00:00Z" },
    });
    assert.equal(edited.json.item?.notes, "room 4");
    const ticked = await call<Change>(`${user("alice")}/items/done`, {
      method: "POST",
      body: { ids: [milk, bob], done: true },
    });
    assert.equal(ticked.status, 200);
    const removed = await call<Change>(`${user("alice")}/items/${throwAway}`, { method: "DELETE" });
    assert.equal(removed.json.version, 4);

    // When the calendar catches up with version 4...
    const status = await upToDate("alice");
    assert.equal(status.calendar?.version, 4);
    // (the worker writes the calendar, then records its job as succeeded)
    let lastJob: JobRecord | undefined;
    await waitUntil(
      async () => {
        lastJob = await job(removed.json.calendarJob!.id);
        return FINAL_STATUSES.has(lastJob.status);
      },
      20_000,
      "the last job settled",
    );
    assert.equal(lastJob!.status, "succeeded");

    // ...then the calendar, read by an independent parser, shows exactly the items with a due date
    // (Last-Modified is given once the render's second has passed)
    await sleep(1_000);
    const ics = await fetch(`${user("alice")}/calendar.ics`);
    assert.equal(ics.status, 200);
    assert.equal(ics.headers.get("content-type"), "text/calendar; charset=utf-8");
    const etag = ics.headers.get("etag")!;
    const lastModified = ics.headers.get("last-modified")!;
    assert.match(etag, /^"[\w-]+"$/);
    assert.ok(Date.parse(lastModified) > 0);
    const icsText = await ics.text();
    // ...which is the one the last job rendered and reported
    assert.deepEqual(lastJob!.result, {
      userId: "alice",
      version: 4,
      events: 3,
      bytes: Buffer.byteLength(icsText),
      etag,
    });
    const items = (await call<{ items: TodoItem[] }>(`${user("alice")}/items`)).json.items;
    const calendar = parseIcs(icsText);
    assert.deepEqual(
      calendar.events.map((event) => [
        event.uid,
        event.summary,
        event.description,
        event.start,
        event.done,
      ]),
      items
        .filter((item) => item.due !== null)
        .map((item) => [
          itemUid("alice", item.id),
          item.done ? `✓ ${item.title}` : item.title,
          item.notes || null,
          item.due!.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/, "$1:00"),
          item.done ? "TRUE" : "FALSE",
        ]),
    );
    assert.equal(calendar.events.length, 3);

    // Conditional requests: a calendar app polling with what it has gets 304 and no body
    const byTag = await fetch(`${user("alice")}/calendar.ics`, {
      headers: { "If-None-Match": etag },
    });
    assert.equal(byTag.status, 304);
    assert.equal(await byTag.text(), "");
    assert.equal(byTag.headers.get("etag"), etag);
    const byDate = await fetch(`${user("alice")}/calendar.ics`, {
      headers: { "If-Modified-Since": lastModified },
    });
    assert.equal(byDate.status, 304);
    const stale = await fetch(`${user("alice")}/calendar.ics`, {
      headers: { "If-None-Match": '"old"' },
    });
    assert.equal(stale.status, 200);
    await stale.text();

    // A change makes a new calendar with a new tag
    await call(`${user("alice")}/items/${bob}`, { method: "PATCH", body: { done: false } });
    await upToDate("alice");
    const changed = await fetch(`${user("alice")}/calendar.ics`, {
      headers: { "If-None-Match": etag },
    });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get("etag"), etag);
    assert.match(await changed.text(), /SUMMARY:Call <Bob>/);

    // A render on demand answers 202 with the job to follow, as the practical's API does
    const render = await call<{ jobId: string }>(`${user("alice")}/calendar`, { method: "POST" });
    assert.equal(render.status, 202);
    assert.equal(render.headers.get("location"), `/jobs/${render.json.jobId}`);
    await waitUntil(
      async () => (await job(render.json.jobId)).status === "succeeded",
      20_000,
      "the render",
    );
  });

  it("serves a plain HTML page whose forms add, tick off, edit and delete items", async () => {
    const page = await fetch(`${user("page-user")}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type")!, /^text\/html/);
    assert.match(await page.text(), /webcal:\/\/127\.0\.0\.1:\d+\/users\/page-user\/calendar\.ics/);

    const form = (body: string, path: string) =>
      fetch(`${user("page-user")}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    const add = await form(
      "title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&due=2027-01-05&notes=",
      "/items",
    );
    assert.equal(add.status, 303);
    assert.equal(add.headers.get("location"), "/users/page-user");
    const [item] = (await call<{ items: TodoItem[] }>(`${user("page-user")}/items`)).json.items;
    const tick = await form(`ids=${item!.id}&done=true`, "/items/done");
    assert.equal(tick.status, 303);
    const html = await (await fetch(`${user("page-user")}`)).text();
    assert.match(html, /✓ &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script>/);
    const bad = await form("title=x&due=tomorrow", "/items");
    assert.match(bad.headers.get("location")!, /\?error=due%20must%20be/);

    // The edit page's form: a hidden done=false before the checkbox, so unticking works
    const edit = await (await fetch(`${user("page-user")}/items/${item!.id}/edit`)).text();
    assert.match(edit, new RegExp(`action="/users/page-user/items/${item!.id}"`));
    const saved = await form(
      "title=Renamed&due=&notes=milk%0D%0Aeggs&done=false",
      `/items/${item!.id}`,
    );
    assert.equal(saved.status, 303);
    const renamed = (await call<TodoItem>(`${user("page-user")}/items/${item!.id}`)).json;
    assert.deepEqual(
      [renamed.title, renamed.due, renamed.notes, renamed.done],
      ["Renamed", null, "milk\neggs", false],
    );
    // Notes keep their line breaks in the edit page (a textarea, not a one-line input)
    const again = await (await fetch(`${user("page-user")}/items/${item!.id}/edit`)).text();
    assert.match(again, /<textarea name="notes"[^>]*>\nmilk\neggs<\/textarea>/);
    // Saving an edit page applies only what was changed on it: a tick-off made since stays
    const page2 = await (await fetch(`${user("page-user")}/items/${item!.id}/edit`)).text();
    const was = [...page2.matchAll(/name="(was_\w+)" value="([^"]*)"/g)].map(
      ([, name, value]) => `${name}=${encodeURIComponent(value!)}`,
    );
    assert.equal(was.length, 4, page2);
    await call(`${user("page-user")}/items/${item!.id}`, { method: "PATCH", body: { done: true } });
    const stale = await form(
      [...was, "title=Renamed+again", "due=", "notes=milk%0D%0Aeggs", "done=false"].join("&"),
      `/items/${item!.id}`,
    );
    assert.equal(stale.status, 303);
    const merged = (await call<TodoItem>(`${user("page-user")}/items/${item!.id}`)).json;
    assert.deepEqual(
      [merged.title, merged.notes, merged.done],
      ["Renamed again", "milk\neggs", true],
    );
    const deleted = await form("", `/items/${item!.id}/delete`);
    assert.equal(deleted.status, 303);
    assert.deepEqual(
      (await call<{ items: TodoItem[] }>(`${user("page-user")}/items`)).json.items,
      [],
    );

    // A form on an item deleted meanwhile (in another tab) gets the page back with the reason
    const noItem = `/users/page-user?error=${encodeURIComponent(`page-user has no item ${item!.id}`)}`;
    for (const path of [`/items/${item!.id}/delete`, `/items/${item!.id}`]) {
      const gone = await form(path.endsWith("delete") ? "" : "title=x", path);
      assert.equal(gone.status, 303, path);
      assert.equal(gone.headers.get("location"), noItem, path);
    }
    // ... and its edit page is a page saying so, with the API's words
    const missing = await fetch(`${user("page-user")}/items/${item!.id}/edit`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get("content-type")!, /^text\/html/);
    assert.match(await missing.text(), new RegExp(`page-user has no item ${item!.id}`));
  });

  it("refuses another web page's forms, as a browser sends them, and changes nothing", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${user("csrf-user")}/items`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        body: "title=Planted+by+another+web+site",
      });
    for (const foreign of [
      { Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" },
      { Origin: "http://localhost:1", "Sec-Fetch-Site": "same-site" },
    ]) {
      const refused = await post(foreign);
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /other origins/);
    }
    assert.deepEqual(
      (await call<{ items: TodoItem[] }>(`${user("csrf-user")}/items`)).json.items,
      [],
    );
    // Its own page's form is served
    const own = await post({ Origin: app.url, "Sec-Fetch-Site": "same-origin" });
    assert.equal(own.status, 303);
  });

  it("answers bad requests with a reason", async () => {
    const badDue = await call<{ error: string }>(`${user("bob")}/items`, {
      method: "POST",
      body: { title: "x", due: "2026-02-30" },
    });
    assert.equal(badDue.status, 400);
    assert.match(badDue.json.error, /due must be a date/);
    // Dates a calendar cannot carry: an offset past 23:59, a year JavaScript reads as 19xx
    for (const due of ["2026-12-24T15:30+24:00", "2026-12-24T15:30+14:60", "0000-01-01"]) {
      const refused = await call<{ error: string }>(`${user("bob")}/items`, {
        method: "POST",
        body: { title: "x", due },
      });
      assert.equal(refused.status, 400, due);
    }
    // A title is one line; notes may break lines but hold no other control characters
    for (const body of [
      { title: "two\nlines" },
      { title: "bell\u0007" },
      { title: "x", notes: "nul\u0000" },
    ]) {
      const refused = await call<{ error: string }>(`${user("bob")}/items`, {
        method: "POST",
        body,
      });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.json.error, /control characters/);
    }
    // A list too large for one calendar job (256 KiB): long notes in CJK, 3 bytes a character
    const long = { title: "長".repeat(200), notes: "長".repeat(1000) };
    let refusedAt: { status: number; json: { error: string } } | undefined;
    for (let batch = 0; batch < 10 && refusedAt === undefined; batch += 1) {
      const added = await call<{ error: string }>(`${user("big")}/items`, {
        method: "POST",
        body: Array.from({ length: 10 }, () => long),
      });
      if (added.status !== 201) refusedAt = added;
    }
    assert.equal(refusedAt?.status, 409);
    assert.match(
      refusedAt.json.error,
      /^the list would take \d+ KiB, over the 250 KiB one calendar job carries/,
    );
    // ...and what was refused was not kept: the list still fits
    const kept = await call<{ items: unknown[] }>(`${user("big")}/items`);
    assert.ok(Buffer.byteLength(JSON.stringify(kept.json)) < 250 * 1024);
    // A job id that is not even percent-encoding, and the home page's form sent empty
    assert.equal((await call(`${app.url}/jobs/%E0`)).status, 404);
    const noUser = await fetch(`${app.url}/users?id=`, { redirect: "manual" });
    assert.equal(noUser.status, 303);
    assert.equal(noUser.headers.get("location"), "/");
    assert.equal(
      (await call(`${user("bob")}/items/999`, { method: "PATCH", body: { done: true } })).status,
      404,
    );
    assert.equal((await call(`${app.url}/users/bad%20id/items`)).status, 400);
    assert.equal((await call(`${app.url}/jobs/nope`)).status, 404);
    assert.equal((await call(`${user("nobody")}/calendar.ics`)).status, 404);
    const notAllowed = await call(`${user("bob")}/calendar.ics`, { method: "DELETE" });
    assert.equal(notAllowed.status, 405);
    // Request targets no URL parser takes (a raw client may send any): 404, and the app lives on
    for (const target of ["//a:99999/x", "//["]) {
      const status = await new Promise<number | undefined>((resolve, reject) =>
        httpRequest(`${app.url}/`, { path: target }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on("error", reject)
          .end(),
      );
      assert.equal(status, 404, target);
    }
    assert.equal((await call(`${user("bob")}/items`)).status, 200);
  });

  it("ticks off several items only for JSON integer ids, and 404s ids the user does not have", async () => {
    // Given erin's two items, both done
    const added = await call<Change>(`${user("erin")}/items`, {
      method: "POST",
      body: [
        { title: "one", done: true },
        { title: "two", done: true },
      ],
    });
    const [one, two] = added.json.items!.map((item) => item.id);
    const items = async () =>
      (await call<{ items: TodoItem[] }>(`${user("erin")}/items`)).json.items.map(
        (item) => item.done,
      );

    // When a JSON body gives ids or a body of the wrong type
    for (const body of [
      { ids: [true], done: false },
      { ids: [[two]], done: false },
      { ids: ["0x2"], done: false },
      { ids: [String(one)], done: false },
      { ids: String(one), done: false },
      { ids: [1.5], done: false },
      { done: false },
      [one, two],
      "x",
    ]) {
      const refused = await call<{ error: string }>(`${user("erin")}/items/done`, {
        method: "POST",
        body,
      });
      // Then it is refused with the reason, and nothing changes
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.json.error, /ids|object/, JSON.stringify(body));
    }
    assert.deepEqual(await items(), [true, true]);

    // An id the user does not have: 404 naming it, and the others are not changed either
    const missing = await call<{ error: string }>(`${user("erin")}/items/done`, {
      method: "POST",
      body: { ids: [one, 999], done: false },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error, "erin has no item 999");
    assert.deepEqual(await items(), [true, true]);

    // Integers in JSON, and digits from a form, are taken
    const unticked = await call<Change & { changed: number }>(`${user("erin")}/items/done`, {
      method: "POST",
      body: { ids: [one], done: false },
    });
    assert.equal(unticked.status, 200);
    assert.equal(unticked.json.changed, 1);
    const form = await fetch(`${user("erin")}/items/done`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `ids=${two}&done=false`,
    });
    assert.equal(form.status, 303);
    assert.equal(form.headers.get("location"), "/users/erin");
    assert.deepEqual(await items(), [false, false]);
  });

  it("loses nothing when a worker is killed mid-job: the job comes back to another worker", async () => {
    await stopWorkers();
    // Given a slow worker that keeps its jobs hidden for 2 s at a time...
    const slow = await startWorker(broker.endpoint, dataDir, [
      "--render-delay-ms",
      "5000",
      "--visibility-timeout",
      "2",
    ]);
    processes.push(slow);
    const change = await call<Change>(`${user("carol")}/items`, {
      method: "POST",
      body: { title: "Dentist", due: "2027-03-01" },
    });
    const id = change.json.calendarJob!.id;
    await waitUntil(
      async () => (await job(id)).status === "started",
      20_000,
      "the slow worker starting the job",
    );

    // ...when it is killed mid-render and another worker starts...
    assert.equal((await slow.stop("SIGKILL")).signal, "SIGKILL");
    processes.push(await startWorker(broker.endpoint, dataDir));

    // ...then the job is run again, by the new worker, and the calendar appears.
    await waitUntil(
      async () => (await job(id)).status === "succeeded",
      20_000,
      "the job done by the other worker",
    );
    assert.equal((await job(id)).attempts, 2);
    assert.equal((await upToDate("carol")).calendar?.version, 1);
  });

  it("retries a render that keeps failing, then leaves it in the dead-letter queue with its error", async () => {
    await stopWorkers();
    const failing = await startWorker(broker.endpoint, dataDir, [
      "--fail-rate",
      "1",
      "--max-attempts",
      "2",
      "--retry-base-seconds",
      "1",
    ]);
    processes.push(failing);
    const change = await call<Change>(`${user("dave")}/items`, {
      method: "POST",
      body: { title: "Doomed", due: "2027-04-01" },
    });
    const id = change.json.calendarJob!.id;
    await waitUntil(
      async () => (await job(id)).status === "failed",
      20_000,
      "the job failing for good",
    );
    const failed = await job(id);
    assert.equal(failed.attempts, 2);
    assert.match(failed.error!, /failed on purpose/);

    const { QueueUrl } = await broker.sqs.send(
      new GetQueueUrlCommand({ QueueName: "todo-calendars-dlq" }),
    );
    const { Messages = [] } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MessageAttributeNames: ["All"] }),
    );
    assert.equal(Messages.length, 1);
    assert.equal(JSON.parse(Messages[0]!.Body!).id, id);
    assert.match(Messages[0]!.MessageAttributes!["job-error"]!.StringValue!, /failed on purpose/);
    assert.equal((await call<CalendarStatus>(`${user("dave")}/calendar`)).json.upToDate, false);
    const stopped = await failing.stop();
    assert.equal(stopped.code, 0);
    assert.match(stopped.stdout, /1 failed \(to todo-calendars-dlq\)/);
  });
});
