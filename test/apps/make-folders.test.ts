import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { makeFolders, makeFoldersSync } from "../../src/apps/make-folders.ts";
import { runCli } from "../support/cli-process.ts";

const dir = mkdtempSync(join(tmpdir(), "mailroom-make-folders-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Node 20's recursive mkdir loops forever on /proc: only Linux has one to try. */
const noProc = existsSync("/proc/self") ? false : "no /proc here";

describe("makeFolders and makeFoldersSync", () => {
  for (const [name, make] of [
    ["makeFolders", makeFolders],
    ["makeFoldersSync", makeFoldersSync],
  ] as const) {
    it(`${name}: makes the missing folders, and again is nothing`, async () => {
      const deep = join(dir, name, "a", "b", "c");
      await make(deep);
      assert.ok(statSync(deep).isDirectory());
      await make(deep);
      await make(join(dir, name, "a"));
    });

    it(`${name}: a file on the way is mkdir's ENOTDIR or EEXIST`, async () => {
      const file = join(dir, `${name}.txt`);
      writeFileSync(file, "");
      await assert.rejects(async () => make(join(file, "x", "y")), { code: "ENOTDIR" });
      await assert.rejects(async () => make(file), { code: "EEXIST" });
    });

    it(`${name}: a dangling link on the way is mkdir's own EEXIST, for both`, async () => {
      const link = join(dir, `${name}-dangling`);
      symlinkSync(join(dir, "nowhere", "x"), link);
      await assert.rejects(async () => make(join(link, "sub")), {
        code: "EEXIST",
        syscall: "mkdir",
      });
    });

    it(
      `${name}: /proc/<name> fails at once (Node's recursive mkdir never returns)`,
      { skip: noProc },
      async () => {
        await assert.rejects(async () => make("/proc/mailroom-nope/x"), { code: "ENOENT" });
      },
    );
  }
});

describe("a --data-dir under /proc", { skip: noProc, timeout: 60_000 }, () => {
  for (const args of [
    ["todo", "--port", "0", "--data-dir", "/proc/mailroom-nope"],
    ["worker", "--data-dir", "/proc/mailroom-nope"],
    ["maker", "--port", "0", "--data-dir", "/proc/mailroom-nope"],
  ]) {
    it(`mailroom ${args.join(" ")}: one line naming it, exit 1, at once`, async () => {
      // Given an endpoint nothing listens on: the folder is the first thing to fail
      const exit = await runCli(
        [...args, ...(args[0] === "maker" ? [] : ["--endpoint-url", "http://127.0.0.1:9"])],
        {
          timeoutMs: 20_000,
        },
      );
      assert.equal(exit.signal, null, "still running after 20 s (killed)");
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(
        exit.stderr.trim(),
        /^mailroom: cannot (open|use) .*\/proc\/mailroom-nope.*ENOENT/,
      );
      assert.equal(exit.stderr.trim().split("\n").length, 1, exit.stderr);
    });
  }
});
