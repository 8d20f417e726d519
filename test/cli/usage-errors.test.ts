import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { runCli } from "../support/cli-process.ts";

/** Every command answers a usage error the same way: one line on stderr, exit 2. */
describe("mailroom usage errors and --version", () => {
  it("prints the package's version with --version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const exit = await runCli(["--version"]);
    assert.equal(exit.code, 0);
    assert.equal(exit.stdout.trim(), version);
  });

  for (const args of [
    ["server", "--bogus"],
    ["consumer", "--bogus"],
    ["producer", "--bogus"],
    ["queue", "send"],
    ["barrier", "demo", "--bogus"],
    ["maker", "--bogus"],
    ["maker-consumer", "--bogus"],
    ["pipeline", "--bogus"],
    ["frobnicate"],
  ]) {
    it(`mailroom ${args.join(" ")}: one line, exit 2`, async () => {
      const exit = await runCli(args);
      assert.equal(exit.code, 2, exit.stderr);
      const lines = exit.stderr.trim().split("\n");
      assert.equal(lines.length, 1, exit.stderr);
      assert.match(lines[0]!, /^mailroom: .+ \(run with --help for usage\)$/);
    });
  }
});
