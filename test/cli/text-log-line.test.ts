import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import type { Logger } from "pino";
import { textLogLine } from "../../src/cli/text-log-line.ts";

// A zone away from UTC, so the test sees the time is local (Node reads TZ when it changes).
process.env.TZ = "America/New_York";
/** 2024-01-02 15:04:05.006 UTC: 10:04:05.006 in New York. */
const AT = Date.UTC(2024, 0, 2, 15, 4, 5, 6);

/** The lines a real pino logger, set up as the CLI's, writes for `log`. */
function pinoLines(log: (logger: Logger) => void): string[] {
  const lines: string[] = [];
  const logger = pino(
    {
      name: "mailroom-test",
      level: "debug",
      base: { pid: process.pid },
      timestamp: () => `,"time":${AT}`,
    },
    { write: (line: string) => lines.push(line) },
  );
  log(logger);
  return lines;
}

describe("text log lines (--log-format text)", () => {
  it("gives the local time and the message, without the other fields", () => {
    const [line] = pinoLines((logger) =>
      logger.info(
        { requestId: "r-1", widgetId: "w-1", type: "create" },
        "Processing a CREATE request into DynamoDB for w-1",
      ),
    );
    assert.equal(
      textLogLine(line!),
      "10:04:05.006 Processing a CREATE request into DynamoDB for w-1\n",
    );
  });

  it("keeps a message holding a line break (a widget id from a request, say) on one line", () => {
    const [line] = pinoLines((logger) => logger.info("request for widget a\nb rejected"));
    assert.equal(textLogLine(line!), "10:04:05.006 request for widget a\\nb rejected\n");
  });

  it("writes debug lines as plain as info lines", () => {
    const [line] = pinoLines((logger) => logger.debug("Polling for requests"));
    assert.equal(textLogLine(line!), "10:04:05.006 Polling for requests\n");
  });

  it("puts warning: before a warning and error: before an error", () => {
    const lines = pinoLines((logger) => {
      logger.warn({ widgetId: "w-2" }, "Widget w-2 does not exist; nothing to update");
      logger.error("could not set the request aside; it will come back");
    });
    assert.deepEqual(lines.map(textLogLine), [
      "10:04:05.006 warning: Widget w-2 does not exist; nothing to update\n",
      "10:04:05.006 error: could not set the request aside; it will come back\n",
    ]);
  });

  it("adds an error's message after the line's, on the same line, with no stack trace", () => {
    const failure = new Error("connect ECONNREFUSED 127.0.0.1:4566\n    (is the endpoint up?)");
    const [line] = pinoLines((logger) =>
      logger.error({ err: failure, widgetId: "w-3" }, "Failed to process a CREATE request"),
    );
    assert.match(line!, /"stack":/, "pino's JSON carries the stack");
    assert.equal(
      textLogLine(line!),
      "10:04:05.006 error: Failed to process a CREATE request: connect ECONNREFUSED 127.0.0.1:4566 (is the endpoint up?)\n",
    );
  });

  it("passes on a line that is not JSON as it came", () => {
    assert.equal(textLogLine("not json"), "not json\n");
  });
});
