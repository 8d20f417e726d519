import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CliError } from "../../src/cli/cli-error.ts";
import { durationFlag } from "../../src/cli/parse-flags.ts";

describe("durationFlag", () => {
  const seconds = durationFlag("--max-runtime", { unit: "s" });
  const milliseconds = durationFlag("--max-runtime", { unit: "ms" });

  it("reads a plain number in the flag's unit, or a number with its own", () => {
    assert.equal(seconds("30"), 30_000);
    assert.equal(seconds("1.5"), 1_500);
    assert.equal(milliseconds("30"), 30);
    for (const [text, ms] of [
      ["500ms", 500],
      ["30s", 30_000],
      ["5m", 300_000],
      ["2h", 7_200_000],
      ["1d", 86_400_000],
      ["0", 0],
    ] as const) {
      assert.equal(seconds(text), ms, text);
    }
  });

  it("refuses what a timer cannot wait, a fraction of a millisecond, and anything else", () => {
    for (const text of ["25d", "99999999999", "0.4ms", "-1", "abc", "", "5 s", "1e3"]) {
      assert.throws(() => seconds(text), CliError, text);
    }
  });

  it("says a fraction of a millisecond is under 1 ms, not out of the range", () => {
    const delay = durationFlag("--inter-request-delay", { unit: "ms", maxMs: 3_600_000 });
    for (const [parse, flag, text] of [
      [delay, "--inter-request-delay", "0.4"],
      [delay, "--inter-request-delay", "0.4ms"],
      [seconds, "--max-runtime", "0.4ms"],
    ] as const) {
      const under = `${flag} is counted in whole milliseconds and "${text}" is less than 1 ms`;
      assert.throws(() => parse(text), new CliError(`${under} (give 0, or at least 1ms)`, 2));
    }
  });
});
