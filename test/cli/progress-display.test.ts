import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { createProgressDisplay } from "../../src/cli/progress-display.ts";

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
