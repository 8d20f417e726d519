import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it, test } from "node:test";
import { createLogger } from "../../src/cli/logger.ts";
import { createProgressDisplay } from "../../src/cli/progress-display.ts";
import { fakeTerminal } from "../support/terminal-screen.ts";
import type { FakeTerminal } from "../support/terminal-screen.ts";

/** A stream that is not a terminal, so the display prints plain lines. */
function pipeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let written = "";
  stream.on("data", (chunk: Buffer) => (written += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => written };
}

test("progress lines in a pipe put thousands separators in counts and rates", () => {
  const { stream, text } = pipeStream();
  const display = createProgressDisplay({
    total: 1_000_000,
    unit: "requests",
    stream,
    lineIntervalMs: 0,
    startedAt: performance.now() - 1000,
  });
  display.update(250_000, "1 C / 2 U / 3 D");
  display.stop();
  assert.match(
    text(),
    /^250,000\/1,000,000 requests \(25%\), \d{3},\d{3}\.\d\/s, 1 C \/ 2 U \/ 3 D\n$/,
  );
});

test("the last update is left to the command's summary", () => {
  const { stream, text } = pipeStream();
  const display = createProgressDisplay({ total: 10, unit: "requests", stream, lineIntervalMs: 0 });
  display.update(10);
  display.stop();
  assert.equal(text(), "");
});

describe("a progress bar on a terminal, with log lines on the same terminal", () => {
  const LOG_LINE = /^\d{2}:\d{2}:\d{2}\.\d{3} (warning: )?\S.*$/;
  const BAR = /^[\u2588\u2591]{40} \d+% \| [\d,]+\/[\d,]+ requests \| [\d,.]+\/s/;

  /** A producer's run as it reaches the terminal: debug lines and a warning between the bar's updates. */
  function produceOnto(terminal: FakeTerminal, total: number): void {
    const logger = createLogger(
      "mailroom-test",
      { logLevel: "debug", logFormat: "auto" },
      terminal,
    );
    terminal.write("Producing 3 widget requests (seed 7)\n");
    const display = createProgressDisplay({
      total,
      unit: "requests",
      stream: terminal as unknown as NodeJS.WriteStream,
      redrawIntervalMs: 0,
    });
    for (let done = 1; done <= total; done++) {
      logger.debug({ requestId: `r${done}` }, "Generate a Create request");
      if (done === 2) logger.warn("SendMessage failed, retrying");
      display.update(done, `${done} C / 0 U / 0 D`);
    }
    display.stop();
    terminal.write(`Produced ${total} widget requests\n  seed: 7\n`);
    logger.info("producer finished");
  }

  it("puts each log line whole on its own row above the bar, and the summary below the bar", () => {
    const terminal = fakeTerminal(120);
    produceOnto(terminal, 3);
    const screen = terminal.screen();
    assert.equal(screen.length, 9, screen.join("\n"));
    assert.equal(screen[0], "Producing 3 widget requests (seed 7)");
    const logged = screen.slice(1, 5);
    for (const row of logged) assert.match(row, LOG_LINE);
    assert.deepEqual(
      logged.map((row) => row.slice(13)),
      [
        "Generate a Create request",
        "Generate a Create request",
        "warning: SendMessage failed, retrying",
        "Generate a Create request",
      ],
    );
    assert.match(screen[5]!, BAR);
    assert.match(screen[5]!, / 100% \| 3\/3 requests \| .* \| 3 C \/ 0 U \/ 0 D$/);
    assert.deepEqual(screen.slice(6, 8), ["Produced 3 widget requests", "  seed: 7"]);
    assert.match(screen[8]!, LOG_LINE);
    assert.ok(screen[8]!.endsWith(" producer finished"), screen[8]);
  });

  it("cuts the bar to the terminal's width, so redrawing it never leaves a wrapped row behind", () => {
    const terminal = fakeTerminal(50);
    produceOnto(terminal, 3);
    const screen = terminal.screen();
    assert.equal(screen.length, 9, screen.join("\n"));
    assert.equal(screen[5], `${"\u2588".repeat(40)} 100% | 3`);
    for (const row of screen.slice(1, 5)) assert.match(row, LOG_LINE);
    assert.equal(screen[6], "Produced 3 widget requests");
  });

  it("draws the bar again below a log line that no update follows", async () => {
    const terminal = fakeTerminal(120);
    const logger = createLogger("mailroom-test", { logLevel: "info", logFormat: "text" }, terminal);
    const display = createProgressDisplay({
      total: 10,
      unit: "requests",
      stream: terminal as unknown as NodeJS.WriteStream,
    });
    display.update(4);
    logger.warn("SendMessage failed, retrying");
    logger.warn("SendMessage failed again, retrying");
    await new Promise((resolve) => setImmediate(resolve));
    const screen = terminal.screen();
    assert.equal(screen.length, 3, screen.join("\n"));
    assert.match(screen[0]!, / warning: SendMessage failed, retrying$/);
    assert.match(screen[1]!, / warning: SendMessage failed again, retrying$/);
    assert.match(screen[2]!, BAR);
    display.stop();
  });

  it("counts with thousands separators on the bar", () => {
    const terminal = fakeTerminal(120);
    const display = createProgressDisplay({
      total: 100_000,
      unit: "requests",
      stream: terminal as unknown as NodeJS.WriteStream,
    });
    display.update(44_137, "44,137 C");
    display.stop();
    assert.match(terminal.screen()[0]!, / 44% \| 44,137\/100,000 requests \| .* \| 44,137 C$/);
  });
});
