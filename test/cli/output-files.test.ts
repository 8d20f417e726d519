import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../support/cli-process.ts";

/** Files a flag names are written where the user pointed, whatever is there. */
describe("files a flag names: links, pipes and devices", () => {
  const scratch = mkdtempSync(join(tmpdir(), "mailroom-output-files-"));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const produce = (expectedOut: string) =>
    runCli([
      ...["producer", "--request-dir", join(scratch, "requests"), "-mwr", "3", "-ird", "0"],
      ...["--expected-out", expectedOut],
    ]);

  it("--expected-out through a symbolic link writes its target and leaves the link a link", async () => {
    const target = join(scratch, "target.json");
    const link = join(scratch, "link.json");
    writeFileSync(target, "old\n");
    symlinkSync(target, link);
    const exit = await produce(link);
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(target, "utf8")).produced, 3);
  });

  it("--expected-out through a link to a file not made yet makes that file and leaves the link a link", async () => {
    const target = join(scratch, "later", "target.json");
    const link = join(scratch, "dangling.json");
    mkdirSync(join(scratch, "later"));
    symlinkSync(join("later", "target.json"), link);
    const exit = await produce(link);
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(target, "utf8")).produced, 3);
  });

  it(
    "--expected-out naming a pipe writes into the pipe instead of replacing it with a file",
    { timeout: 30_000 },
    async () => {
      const fifo = join(scratch, "expected.fifo");
      execFileSync("mkfifo", [fifo]);
      // The reader is a process of its own, which a failed test can kill: a read
      // blocked opening a pipe would keep this process alive for good.
      const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      reader.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      const read = new Promise<string>((resolve) => reader.once("close", () => resolve(text)));
      try {
        const exit = await produce(fifo);
        assert.equal(exit.code, 0, exit.stderr);
        assert.ok(lstatSync(fifo).isFIFO());
        assert.equal(JSON.parse(await read).produced, 3);
      } finally {
        reader.kill();
      }
    },
  );

  it("--stats-file, rewritten all along, must be a regular file: a pipe is refused in one line", async () => {
    const fifo = join(scratch, "stats.fifo");
    execFileSync("mkfifo", [fifo]);
    const exit = await runCli([
      ...[
        "consumer",
        "--request-dir",
        join(scratch, "requests"),
        "--widget-dir",
        join(scratch, "w"),
      ],
      ...["--stats-file", fifo],
    ]);
    assert.equal(exit.code, 2, exit.stderr);
    assert.equal(
      exit.stderr,
      `mailroom: cannot write --stats-file ${fifo}: it is not a regular file\n`,
    );
  });
});
