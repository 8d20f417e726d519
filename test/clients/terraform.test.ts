import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import type { TestContext } from "node:test";
import { GetQueueAttributesCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { systemClock } from "../../src/broker/engine/clock.ts";
import { startTestBroker, TEST_CREDENTIAL } from "../support/broker-harness.ts";
import type { TestBroker } from "../support/broker-harness.ts";
import { createClientEnvironment } from "./client-environment.ts";
import type { ClientEnvironment } from "./client-environment.ts";
import { describeRun, runClient } from "./client-process.ts";
import type { ClientRun } from "./client-process.ts";
import { findProviderMirror, findTerraform, MIRROR_VARIABLE } from "./terraform-install.ts";

/**
 * Terraform with the hashicorp/aws provider (5.100, from a filesystem mirror:
 * no network) creates the queue practical's queues on an in-process broker
 * that checks SigV4, finds nothing to change on a second plan, and destroys
 * them. The provider speaks AWS JSON 1.0. It waits about 25 s after creating each queue for its
 * attributes to settle, so there is one apply, with the queues created in
 * parallel (only the work queue waits for its DLQ): about two minutes in all.
 * Terraform is not a Debian package: without it, or without the mirror, the
 * test is skipped and says which is missing.
 */

const CONFIGURATION = fileURLToPath(new URL("../../examples/terraform/main.tf", import.meta.url));
/** The keys examples/terraform/main.tf gives the provider; the broker checks its signatures. */
const EXAMPLE_CREDENTIAL = {
  accessKeyId: "mailroom",
  secretAccessKey: "mailroom",
  accountId: "000000000000",
};
const TEST_TIMEOUT_MS = 5 * 60_000;
/** Each step's own bound; the test's timeout also ends a running step (through `t.signal`). */
const STEP_TIMEOUT_MS = { init: 60_000, apply: 240_000, plan: 90_000, destroy: 120_000 };
const QUEUES = ["csse6400_prac", "csse6400_prac.fifo", "csse6400_prac_dlq", "csse6400_prac_work"];

type Step = keyof typeof STEP_TIMEOUT_MS;

describe("terraform (hashicorp/aws 5.100) against the broker", () => {
  it(
    "init from the mirror, apply the practical's queues, plan shows no changes, destroy",
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const terraform = findTerraform();
      const mirror = findProviderMirror();
      if (terraform === undefined || mirror === undefined) {
        // Not a Debian package: CI machines have terraform in /usr/local/bin
        // and the provider in a filesystem mirror such as /opt/tf-plugins.
        const missing = [
          terraform === undefined ? "terraform (not on PATH nor in /usr/local/bin)" : [],
          mirror === undefined
            ? `the hashicorp/aws provider mirror (a registry.terraform.io folder; set ${MIRROR_VARIABLE})`
            : [],
        ].flat();
        t.skip(`missing ${missing.join(" and ")}`);
        return;
      }
      const client = createClientEnvironment();
      const broker = await startTestBroker({
        clock: systemClock,
        inMemory: true,
        auth: { mode: "sigv4", credentials: [EXAMPLE_CREDENTIAL, TEST_CREDENTIAL] },
      });
      try {
        await applyPlanDestroy(t, broker, terraformRunner(t, terraform, mirror, client));
      } finally {
        await broker.close();
        client.remove();
      }
    },
  );
});

async function applyPlanDestroy(
  t: TestContext,
  broker: TestBroker,
  terraform: (step: Step, ...args: string[]) => Promise<ClientRun>,
): Promise<void> {
  const endpoint = `-var=endpoint=${broker.endpoint}`;
  const queueUrl = (name: string) => `${broker.endpoint}/000000000000/${name}`;
  const attributesOf = async (name: string) =>
    (
      await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl(name), AttributeNames: ["All"] }),
      )
    ).Attributes ?? {};

  // Given the provider installed from the mirror only
  const init = await terraform("init");
  assert.equal(init.code, 0, describeRun(init));
  assert.match(init.stdout, /Installing hashicorp\/aws v5\.100\./);

  // When the practical's queues are applied
  const apply = await terraform("apply", "-auto-approve", endpoint);
  assert.equal(apply.code, 0, describeRun(apply));
  assert.match(apply.stdout, /Apply complete! Resources: 4 added, 0 changed, 0 destroyed\./);

  // Then they exist with the attributes asked for, as the SDK sees them
  const listed = await broker.sqs.send(new ListQueuesCommand({}));
  assert.deepEqual([...(listed.QueueUrls ?? [])].sort(), QUEUES.map(queueUrl));
  assert.equal((await attributesOf("csse6400_prac")).FifoQueue, undefined);
  const fifo = await attributesOf("csse6400_prac.fifo");
  assert.equal(fifo.FifoQueue, "true");
  assert.equal(fifo.ContentBasedDeduplication, "true");
  const work = await attributesOf("csse6400_prac_work");
  assert.equal(work.VisibilityTimeout, "60");
  assert.deepEqual(JSON.parse(work.RedrivePolicy ?? "null"), {
    deadLetterTargetArn: (await attributesOf("csse6400_prac_dlq")).QueueArn,
    maxReceiveCount: 5,
  });

  // And a second plan reads them back and finds nothing to change
  const plan = await terraform("plan", "-detailed-exitcode", endpoint);
  assert.equal(plan.code, 0, `the plan found changes or failed\n${describeRun(plan)}`);

  // And destroy removes them all
  const destroy = await terraform("destroy", "-auto-approve", endpoint);
  assert.equal(destroy.code, 0, describeRun(destroy));
  assert.match(destroy.stdout, /Destroy complete! Resources: 4 destroyed\./);
  const left = await broker.sqs.send(new ListQueuesCommand({}));
  assert.deepEqual(left.QueueUrls ?? [], []);
  t.diagnostic(`queues checked: ${QUEUES.join(", ")}`);
}

/**
 * Runs terraform steps in a work folder inside the client's temp dir (the
 * configuration, `.terraform`, the lock file and the state all stay there),
 * with a CLI config that installs the AWS provider from the mirror only.
 */
function terraformRunner(
  t: TestContext,
  terraform: string,
  mirror: string,
  client: ClientEnvironment,
): (step: Step, ...args: string[]) => Promise<ClientRun> {
  const workDir = join(client.dir, "work");
  mkdirSync(workDir);
  copyFileSync(CONFIGURATION, join(workDir, "main.tf"));
  const cliConfig = join(client.dir, "terraform.tfrc");
  writeFileSync(
    cliConfig,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  const env = {
    ...client.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
  return async (step, ...args) => {
    progress(`terraform ${step}...`);
    const run = await runClient(terraform, [step, "-no-color", ...args], {
      env,
      cwd: workDir,
      timeoutMs: STEP_TIMEOUT_MS[step],
      signal: t.signal,
      onLine: (line) => {
        if (/: (Creat|Destr|Still)|complete/i.test(line)) progress(`  ${line.trim()}`);
      },
    });
    const seconds = (run.ms / 1000).toFixed(1);
    progress(`terraform ${step} ${run.code === 0 ? "done" : "FAILED"} in ${seconds} s`);
    t.diagnostic(`terraform ${step}: ${seconds} s, exit ${run.code ?? run.signal}`);
    return run;
  };
}

/** Live progress on stderr: the whole test takes minutes. */
function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}
