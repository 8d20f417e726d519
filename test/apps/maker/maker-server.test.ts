import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { once } from "node:events";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { runCli } from "../../support/cli-process.ts";
import { createRequest, getJson, post, startMaker } from "./maker-process.ts";
import type { RunningMaker } from "./maker-process.ts";
import { COURSE_SAMPLES_DIR } from "../../support/course-samples.ts";

const SAMPLES = COURSE_SAMPLES_DIR;
const sample = (name: string) => readFileSync(join(SAMPLES, name), "utf8");

interface WidgetJson {
  widget_id: string;
  date_created: string;
  request_id: string;
  id: string;
  owner: string;
  label: string | null;
  otherAttributes: { name: string; value: string }[];
}

describe("mailroom maker", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-maker-"));
  let maker: RunningMaker;

  before(async () => {
    maker = await startMaker(dataDir);
  });

  after(async () => {
    await maker?.cli.stop("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("makes a widget from a create request: 201, Location, and the widget at that Location", async () => {
    const body = sample("1612306368338");
    const request = JSON.parse(body) as { requestId: string; widgetId: string; owner: string };

    const made = await post(`${maker.url}/widgets`, body);

    assert.equal(made.status, 201);
    assert.equal(made.location, `/widgets/${request.widgetId}`);
    assert.equal(made.json.widget_id, request.widgetId);
    assert.equal(made.json.request_id, request.requestId);
    assert.equal(made.json.owner, "Mary Matthews");
    assert.ok(!Number.isNaN(Date.parse(String(made.json.date_created))));
    const fetched = await getJson<WidgetJson>(`${maker.url}${made.location}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.json, made.json);
    // The seed's singular path reads the same widget.
    assert.deepEqual((await getJson(`${maker.url}/widget/${request.widgetId}`)).json, made.json);
  });

  it("answers the seed's POST /add too, and lists widgets and health", async () => {
    const request = createRequest(1);

    const made = await post(`${maker.url}/add`, request);

    assert.equal(made.status, 201);
    const list = await getJson<{ count: number; widgets: WidgetJson[] }>(`${maker.url}/widgets`);
    assert.equal(list.status, 200);
    assert.ok(list.json.widgets.some((widget) => widget.widget_id === request.widgetId));
    assert.equal(list.json.count, list.json.widgets.length);
    const health = await getJson<{ status: string; widgets: number }>(`${maker.url}/health`);
    assert.deepEqual(health, { status: 200, json: { status: "ok", widgets: list.json.count } });
  });

  it("takes the seed's own request, {WidgetId}: a UUID makes that widget, once; anything else is 403", async () => {
    // As the seed's README runs it: widget_producer.py --widget-id=31f37378-...
    const widgetId = "31f37378-54f4-11e5-ad75-3c970e65f731";
    const made = await post(`${maker.url}/add`, { WidgetId: widgetId });
    assert.equal(made.status, 201);
    assert.equal(made.json.widget_id, widgetId);
    assert.ok(Date.parse(String(made.json.date_created)) > 0);
    assert.equal(made.location, `/widgets/${widgetId}`);
    const again = await post(`${maker.url}/add`, { WidgetId: widgetId });
    assert.equal(again.status, 200);
    assert.equal(again.json.date_created, made.json.date_created);
    const fetched = await getJson<WidgetJson>(`${maker.url}/widget/${widgetId}`);
    assert.equal(fetched.json.widget_id, widgetId);

    // ...and --widget-id=this_is_not_a_valid_widget_id
    const refused = await post(`${maker.url}/add`, { WidgetId: "this_is_not_a_valid_widget_id" });
    assert.equal(refused.status, 403);
    assert.match(String(refused.json.error), /invalid widget id "this_is_not_a_valid_widget_id"/);
  });

  it("answers a seed request with a huge invalid id 403 with a short reason, not the whole id", async () => {
    const refused = await post(`${maker.url}/add`, { WidgetId: "x".repeat(600_000) });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error, `invalid widget id "${"x".repeat(57)}...": not a UUID`);
    const array = await post(`${maker.url}/add`, { WidgetId: Array(100_000).fill(1) });
    assert.equal(array.status, 403);
    const start = JSON.stringify(Array(100_000).fill(1)).slice(0, 57);
    assert.equal(array.json.error, `invalid widget id ${start}...: not a UUID`);
  });

  it("rejects the bad samples with 400 and the reason", async () => {
    const cases: [string, RegExp][] = [
      ["1612306375135", /type must be one of create, update, delete; got "bad"/],
      ["1612306374392", /the request is empty/],
      ["1612306375892", /owner is missing/],
    ];
    for (const [name, reason] of cases) {
      const answer = await post(`${maker.url}/widgets`, sample(name));
      assert.equal(answer.status, 400, name);
      assert.match(String(answer.json.error), reason, name);
      assert.equal(answer.location, null);
    }
    const notJson = await post(`${maker.url}/widgets`, "{nope");
    assert.equal(notJson.status, 400);
    assert.match(String(notJson.json.error), /not valid JSON/);
  });

  it("refuses valid requests that are not creates with 422 and makes nothing", async () => {
    const update = sample("1612306370542");

    const answer = await post(`${maker.url}/widgets`, update);

    assert.equal(answer.status, 422);
    assert.match(String(answer.json.error), /only makes widgets from create requests, not update/);
    const widgetId = (JSON.parse(update) as { widgetId: string }).widgetId;
    assert.equal((await getJson(`${maker.url}/widgets/${widgetId}`)).status, 404);
  });

  it("treats a repeated request as the same widget, never a second one", async () => {
    const request = createRequest(2);
    const first = await post(`${maker.url}/widgets`, request);
    assert.equal(first.status, 201);

    // Same request again, the same request id with other content, and the same content under another request id.
    const again = await post(`${maker.url}/widgets`, request);
    const sameRequestId = await post(`${maker.url}/widgets`, { ...request, label: "changed" });
    const sameContent = await post(`${maker.url}/widgets`, { ...request, requestId: "other" });

    for (const repeat of [again, sameRequestId, sameContent]) {
      assert.equal(repeat.status, 200);
      assert.equal(repeat.location, first.location);
      assert.deepEqual(repeat.json, first.json);
    }
  });

  it("makes one widget when copies of a request arrive at once", async () => {
    const request = createRequest(3);

    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(`${maker.url}/widgets`, request)),
    );

    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((answer) => answer.json.date_created)).size, 1);
  });

  it("answers 409 when a widget id or request id is taken by something else", async () => {
    const request = createRequest(4);
    await post(`${maker.url}/widgets`, request);

    const otherContent = await post(`${maker.url}/widgets`, {
      ...request,
      requestId: "another-request",
      label: "different",
    });
    const reusedRequestId = await post(`${maker.url}/widgets`, {
      ...createRequest(5),
      requestId: request.requestId,
    });

    assert.equal(otherContent.status, 409);
    assert.match(String(otherContent.json.error), /already exists with different content/);
    assert.equal(reusedRequestId.status, 409);
    assert.match(String(reusedRequestId.json.error), /already made widget/);
  });

  it("refuses a widget request another web page's form posts, as a browser sends it", async () => {
    const planted = createRequest(7);
    const answer = await fetch(`${maker.url}/widgets`, {
      method: "POST",
      headers: {
        "Content-Type": "text/plain",
        Origin: "http://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
      body: JSON.stringify(planted),
    });
    assert.equal(answer.status, 403);
    assert.match(await answer.text(), /other origins/);
    const lookup = await getJson(`${maker.url}/widgets/${String(planted.widgetId)}`);
    assert.equal(lookup.status, 404);
  });

  it("answers 404 for unknown widgets and routes, 405 for the wrong method", async () => {
    assert.equal((await getJson(`${maker.url}/widgets/no-such-widget`)).status, 404);
    assert.equal((await getJson(`${maker.url}/nowhere`)).status, 404);
    const deleted = await fetch(`${maker.url}/widgets`, { method: "DELETE" });
    assert.equal(deleted.status, 405);
    assert.equal(deleted.headers.get("allow"), "GET, HEAD, POST");
    await deleted.body?.cancel();
  });

  it("answers HEAD wherever it answers GET: the same status and headers, no body", async () => {
    const made = await post(`${maker.url}/widgets`, createRequest(7));
    for (const path of ["/widgets", "/health", made.location!]) {
      const got = await fetch(`${maker.url}${path}`);
      const gotBody = await got.text();
      const head = await fetch(`${maker.url}${path}`, { method: "HEAD" });
      assert.equal(head.status, 200, path);
      assert.equal(head.headers.get("content-type"), got.headers.get("content-type"), path);
      assert.equal(head.headers.get("content-length"), String(Buffer.byteLength(gotBody)), path);
      assert.equal(await head.text(), "", path);
    }
  });

  it("keeps every widget across a restart on the same data dir", async () => {
    const before = await getJson<{ count: number; widgets: WidgetJson[] }>(`${maker.url}/widgets`);
    assert.ok(before.json.count >= 4);

    const exit = await maker.cli.stop("SIGTERM");
    assert.equal(exit.code, 0);
    assert.match(exit.stdout, /^Widget maker stopped \(\d+ widgets\)$/m);
    maker = await startMaker(dataDir, maker.port);

    const afterRestart = await getJson<{ count: number; widgets: WidgetJson[] }>(
      `${maker.url}/widgets`,
    );
    assert.deepEqual(afterRestart.json, before.json);
    // A repeat after the restart is still recognised.
    const first = before.json.widgets[0]!;
    const again = await post(`${maker.url}/widgets`, sample("1612306368338"));
    assert.equal(again.status, 200);
    assert.equal(again.json.date_created, first.date_created);
  });
});

describe("mailroom maker options", () => {
  it("--fail-rate 1 answers every widget request with 503 and makes nothing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mailroom-maker-"));
    const maker = await startMaker(dataDir, 0, ["--fail-rate", "1"]);
    try {
      const answer = await post(`${maker.url}/widgets`, createRequest(6));
      assert.equal(answer.status, 503);
      assert.equal((await getJson<{ widgets: number }>(`${maker.url}/health`)).json.widgets, 0);
    } finally {
      await maker.cli.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("stops on SIGTERM within seconds though a client is still sending its request", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mailroom-maker-"));
    const maker = await startMaker(dataDir, 0, ["--log-level", "info"]);
    const socket = connect(maker.port, "127.0.0.1");
    try {
      // Given a request that declares 100 bytes of body and sends 8
      await once(socket, "connect");
      socket.on("error", () => undefined);
      socket.write(
        "POST /widgets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          'Content-Length: 100\r\n\r\n{"type":',
      );
      await sleep(200);
      // When the maker is stopped, it cuts the client off after its grace, without calling it a failure
      const exit = await Promise.race([maker.cli.stop("SIGTERM"), sleep(15_000)]);
      assert.ok(exit, "stopped within 15 s");
      assert.equal(exit.code, 0, exit.stderr);
      assert.doesNotMatch(exit.stdout + exit.stderr, /widget maker failed/);
    } finally {
      socket.destroy();
      await maker.cli.stop("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a bad flag with one line and exit code 2", async () => {
    const exit = await runCli(["maker", "--fail-rate", "2"]);

    assert.equal(exit.code, 2);
    assert.equal(exit.stderr.trim(), 'mailroom: --fail-rate must be a number from 0 to 1, got "2"');
  });
});
