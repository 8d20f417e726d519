import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { expandLegacyShortFlags, withLegacyShortFlags } from "../../src/cli/legacy-short-flags.ts";

const command = withLegacyShortFlags(new Command("legacy-test"), {
  "-rb": "--request-bucket",
  "-mwr": "--max-widget-requests",
});
withLegacyShortFlags(new Command("legacy-other"), { "-rb": "--read-bucket" });

describe("legacy short flags", () => {
  it("rewrites the registered short names of the command being run", () => {
    assert.deepEqual(
      expandLegacyShortFlags(["node", "mailroom", "legacy-test", "-rb", "b", "-mwr=5", "-r", "x"]),
      [
        "node",
        "mailroom",
        "legacy-test",
        "--request-bucket",
        "b",
        "--max-widget-requests=5",
        "-r",
        "x",
      ],
    );
    assert.deepEqual(expandLegacyShortFlags(["node", "mailroom", "legacy-other", "-rb", "b"]), [
      "node",
      "mailroom",
      "legacy-other",
      "--read-bucket",
      "b",
    ]);
  });

  it("leaves other commands, the command name and everything after -- alone", () => {
    const untouched = ["node", "mailroom", "server", "-rb", "x"];
    assert.deepEqual(expandLegacyShortFlags(untouched), untouched);
    assert.deepEqual(expandLegacyShortFlags(["node", "mailroom", "legacy-test", "--", "-rb"]), [
      "node",
      "mailroom",
      "legacy-test",
      "--",
      "-rb",
    ]);
  });

  it("lists the short names in the command's help and refuses malformed ones", () => {
    let help = "";
    command.configureOutput({ writeOut: (text) => (help += text) });
    command.outputHelp();
    assert.match(help, /-mwr\s+--max-widget-requests/);
    assert.throws(() => withLegacyShortFlags(new Command("bad"), { "-x": "--x" }));
  });
});
