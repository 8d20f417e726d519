import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
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

  it("names the missing package and `npm install` when run from a clone not yet installed", async () => {
    // bin/mailroom.js alone, beside an empty src/: no node_modules to find tsx in.
    const clone = mkdtempSync(join(tmpdir(), "mailroom-uninstalled-"));
    try {
      mkdirSync(join(clone, "bin"));
      mkdirSync(join(clone, "src"));
      copyFileSync("bin/mailroom.js", join(clone, "bin", "mailroom.js"));
      const exit = await promisify(execFile)(process.execPath, [
        join(clone, "bin", "mailroom.js"),
      ]).then(
        () => assert.fail("expected a non-zero exit"),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(exit.code, 1);
      assert.equal(
        exit.stderr,
        `mailroom: the package tsx is not installed; run \`npm install\` in ${clone}/ first\n`,
      );
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
