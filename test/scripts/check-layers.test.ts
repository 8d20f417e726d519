import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { checkLayers, formatSummary } from "../../scripts/check-layers.ts";

const roots: string[] = [];

after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Writes a throwaway source tree: keys are repo-relative paths, values file contents. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "check-layers-"));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("checkLayers", () => {
  it("accepts a clean tree and counts its files", () => {
    const root = fixture({
      "src/broker/engine/queue.ts": 'import { createHash } from "node:crypto";\n',
      "src/broker/protocol/server.ts":
        'import { createServer } from "node:http";\nimport { q } from "../engine/queue.ts";\n',
      "src/apps/consumer.ts": 'import { SQSClient } from "@aws-sdk/client-sqs";\n',
      "src/cli/main.ts": 'import "../apps/consumer.ts";\nimport "../broker/protocol/server.ts";\n',
      "src/readme.md": "not a source file",
    });

    const report = checkLayers(root);

    assert.deepEqual(report, { fileCount: 4, forbidden: [], cycles: [] });
    assert.equal(formatSummary(report), "layers ok: 4 files, no forbidden imports, no cycles");
  });

  it("reports the engine importing the protocol layer, in the documented format", () => {
    const root = fixture({
      "src/broker/engine/x.ts": 'import { y } from "../protocol/y.ts";\n',
      "src/broker/protocol/y.ts": "export const y = 1;\n",
    });

    assert.deepEqual(checkLayers(root).forbidden, [
      "src/broker/engine/x.ts imports src/broker/protocol/y.ts: " +
        "the engine must not depend on the protocol layer",
    ]);
  });

  it("finds re-exports, dynamic imports and type-only imports", () => {
    const root = fixture({
      "src/broker/engine/a.ts": 'export { store } from "../storage/sqlite-store.ts";\n',
      "src/broker/engine/b.ts":
        'export async function f() {\n  await import("../console/c.ts");\n}\n',
      "src/broker/engine/c.ts": 'import type { Req } from "../protocol/req.ts";\n',
      "src/broker/engine/d.ts": 'type T = import("../protocol/req.ts").Req;\n',
    });

    const forbidden = checkLayers(root).forbidden;

    assert.deepEqual(
      forbidden.map((line) => line.split(": ")[0]),
      [
        "src/broker/engine/a.ts imports src/broker/storage/sqlite-store.ts",
        "src/broker/engine/b.ts imports src/broker/console/c.ts",
        "src/broker/engine/c.ts imports src/broker/protocol/req.ts",
        "src/broker/engine/d.ts imports src/broker/protocol/req.ts",
      ],
    );
  });

  it("forbids I/O packages in the engine, with or without the node: prefix", () => {
    const root = fixture({
      "src/broker/engine/io.ts": [
        'import "node:http";',
        'import "https";',
        'import "node:net";',
        'import "fs/promises";',
        'import "better-sqlite3";',
        'import "@aws-sdk/client-sqs";',
        'import "node:crypto";',
        'import "@aws-crypto/sha256-js";',
        "",
      ].join("\n"),
    });

    const imported = checkLayers(root).forbidden.map((line) => line.split(": ")[0]);

    assert.deepEqual(
      imported,
      ["node:http", "https", "node:net", "fs/promises", "better-sqlite3", "@aws-sdk/client-sqs"]
        .map((specifier) => `src/broker/engine/io.ts imports ${specifier}`)
        .sort(),
    );
  });

  it("enforces the direction between broker, widgets, apps and cli", () => {
    const root = fixture({
      "src/broker/protocol/p.ts": 'import "../../widgets/w.ts";\nimport "../../cli/main.ts";\n',
      "src/widgets/w.ts": 'import "../broker/protocol/p.ts";\n',
      "src/apps/a.ts": 'import "../broker/engine/e.ts";\nimport "../widgets/w.ts";\n',
      "src/broker/engine/e.ts": 'import "../../apps/a.ts";\n',
      "src/cli/main.ts": "export {};\n",
    });

    assert.deepEqual(checkLayers(root).forbidden, [
      "src/apps/a.ts imports src/broker/engine/e.ts: apps talk to the broker over HTTP only",
      "src/broker/engine/e.ts imports src/apps/a.ts: the broker must not depend on the apps",
      "src/broker/protocol/p.ts imports src/cli/main.ts: the broker is a library; the CLI wraps it",
      "src/broker/protocol/p.ts imports src/widgets/w.ts: " +
        "the broker must not depend on the widget domain",
      "src/widgets/w.ts imports src/broker/protocol/p.ts: " +
        "the widget domain must not depend on the broker",
    ]);
  });

  it("lets the console's page import the wire types and nothing else of the server", () => {
    const root = fixture({
      "src/broker/console/ui/page.tsx": [
        'import type { QueueListEntry } from "../../wire-types.ts";',
        'import { send } from "./api/transport.ts";',
        'import { metricsRoutes } from "../metrics-routes.ts";',
        'import { BrokerOptions } from "../../broker-options.ts";',
        'import { engine } from "../../engine/sqs-engine.ts";',
        "",
      ].join("\n"),
      "src/broker/console/ui/api/transport.ts": "export const send = 1;\n",
      "src/broker/wire-types.ts":
        'import type { Q } from "./engine/queue-summary.ts";\nimport "node:crypto";\n',
    });

    assert.deepEqual(checkLayers(root).forbidden, [
      "src/broker/console/ui/page.tsx imports src/broker/broker-options.ts: " +
        "the console's page imports, outside its folder, the wire types only",
      "src/broker/console/ui/page.tsx imports src/broker/console/metrics-routes.ts: " +
        "the console's page imports, outside its folder, the wire types only",
      "src/broker/console/ui/page.tsx imports src/broker/engine/sqs-engine.ts: " +
        "the console's page is a client of the broker's public API only",
      "src/broker/wire-types.ts imports node:crypto: " +
        "the wire types are read by the browser too: types only, importing nothing",
      "src/broker/wire-types.ts imports src/broker/engine/queue-summary.ts: " +
        "the wire types are read by the browser too: types only, importing nothing",
    ]);
  });

  it("ignores import-like text in comments and strings", () => {
    const root = fixture({
      "src/broker/engine/quiet.ts":
        '// import "node:http";\nexport const hint = \'import "../protocol/y.ts"\';\n',
    });

    assert.deepEqual(checkLayers(root).forbidden, []);
  });

  it("reports an import cycle with its path, resolving .js spellings to .ts files", () => {
    const root = fixture({
      "src/widgets/a.ts": 'import { b } from "./b.js";\nexport const a = 1;\n',
      "src/widgets/b.ts": 'import type { C } from "./c.ts";\nexport const b = 2;\n',
      "src/widgets/c.ts": 'export * from "./a.ts";\nexport type C = number;\n',
      "src/widgets/leaf.ts": 'import "./a.ts";\n',
    });

    const report = checkLayers(root);

    assert.deepEqual(report.cycles, [
      "import cycle: src/widgets/a.ts -> src/widgets/b.ts -> src/widgets/c.ts -> src/widgets/a.ts",
    ]);
    assert.equal(
      formatSummary(report),
      "layers check failed: 0 forbidden imports, 1 cycles in 4 files",
    );
  });

  it("reports a file that imports itself, and one line per tangle", () => {
    const root = fixture({
      "src/apps/self.ts": 'import "./self.ts";\n',
      "src/apps/x.ts": 'import "./y.ts";\nimport "./z.ts";\n',
      "src/apps/y.ts": 'import "./x.ts";\nimport "./z.ts";\n',
      "src/apps/z.ts": 'import "./x.ts";\n',
    });

    assert.deepEqual(checkLayers(root).cycles, [
      "import cycle: src/apps/self.ts -> src/apps/self.ts",
      "import cycle: src/apps/x.ts -> src/apps/y.ts -> src/apps/x.ts",
    ]);
  });

  it("treats a tree without src/ as empty", () => {
    assert.deepEqual(checkLayers(fixture({ "README.md": "" })), {
      fileCount: 0,
      forbidden: [],
      cycles: [],
    });
  });
});
