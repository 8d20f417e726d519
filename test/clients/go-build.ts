import assert from "node:assert/strict";
import { basename, join } from "node:path";
import type { ClientEnvironment } from "./client-environment.ts";
import { describeRun, runClient } from "./client-process.ts";

export const GO = "/usr/bin/go";
/** Building an SDK's packages from source on two busy cores takes a while. */
const BUILD_TIMEOUT_MS = 180_000;

/**
 * Builds the Go program in `sources` into the client's folder and returns
 * its path. GOPATH mode over Debian's source tree (/usr/share/gocode): no
 * module download, no network.
 */
export async function buildGoProgram(
  sources: string,
  client: ClientEnvironment,
  signal: AbortSignal,
): Promise<string> {
  const program = join(client.dir, basename(sources));
  const build = await runClient(GO, ["build", "-o", program, "."], {
    cwd: sources,
    env: {
      ...client.env,
      GO111MODULE: "off",
      GOPATH: "/usr/share/gocode",
      GOCACHE: join(client.dir, "go-cache"),
      GOFLAGS: "-buildvcs=false",
      // Pure Go: no C compiler needed.
      CGO_ENABLED: "0",
    },
    timeoutMs: BUILD_TIMEOUT_MS,
    signal,
  });
  assert.equal(build.code, 0, describeRun(build));
  return program;
}
