import { SqsError } from "../engine/errors.ts";
import { SqsEngine } from "../engine/sqs-engine.ts";
import { MemoryStore } from "../storage/memory-store.ts";
import { ProvisioningConfigError } from "./provisioning-config.ts";
import type { ProvisioningConfig } from "./provisioning-config.ts";
import { planProvisioning } from "./provisioning-plan.ts";
import type { QueueStep } from "./provisioning-plan.ts";

/**
 * Creates the declared queues that do not exist yet, each after its
 * dead-letter queue. Existing queues are left as they are: provisioning never
 * changes or deletes what a user may have set since.
 *
 * Nothing is created unless all of it can be, checked twice with the
 * engine's own rules on engines in memory. First the file alone, every queue
 * created on an empty engine: a wrong file fails whatever the data dir
 * holds, a declaration of a queue that exists included. Then the queues to
 * create beside the declared ones that exist, as they are now: what a new
 * queue's creation reads of another queue (that it exists, its type, its
 * RedriveAllowPolicy, which a user may have changed since it was
 * provisioned) is copied from the data dir, so the real pass meets nothing
 * the check did not.
 *
 * A declared queue deleted less than a minute ago is created anyway: the
 * 60-second rule is for clients, and a broker restarted by a supervisor
 * must not be refused.
 */
export function provisionQueues(engine: SqsEngine, config: ProvisioningConfig): string[] {
  const steps = planProvisioning(config, engine.location);
  const prefix = config.source === undefined ? "" : `${config.source}: `;
  const missing = steps.filter((step) => !engine.hasQueue(step.name));
  const existing = steps
    .filter((step) => engine.hasQueue(step.name))
    .map((step): QueueStep => ({
      name: step.name,
      attributes: checkedState(engine, step.name),
      tags: {},
    }));
  dryRun(engine, steps, prefix, "");
  dryRun(
    engine,
    [...existing, ...missing],
    prefix,
    " (beside the queues that exist already, as they are now)",
  );
  for (const step of missing) createQueue(engine, step, prefix, "");
  return missing.map((step) => step.name);
}

/** What creating another queue reads of an existing one, besides that it exists. */
function checkedState(engine: SqsEngine, name: string): Record<string, string> {
  return engine.getQueueAttributes(name, ["FifoQueue", "RedriveAllowPolicy"]);
}

/** Creates `steps` in order on an empty engine in memory, in `engine`'s region and account. */
function dryRun(engine: SqsEngine, steps: QueueStep[], prefix: string, context: string): void {
  const scratch = new SqsEngine({
    store: new MemoryStore(),
    location: engine.location,
    relaxedTiming: true,
  });
  try {
    for (const step of steps) createQueue(scratch, step, prefix, context);
  } finally {
    scratch.close();
  }
}

function createQueue(engine: SqsEngine, step: QueueStep, prefix: string, context: string): void {
  try {
    engine.createQueue(step.name, step.attributes, step.tags, { evenIfDeletedRecently: true });
    if (step.ownRedrivePolicy !== undefined) {
      engine.setQueueAttributes(step.name, { RedrivePolicy: step.ownRedrivePolicy });
    }
  } catch (error) {
    if (error instanceof SqsError) {
      throw new ProvisioningConfigError(
        `${prefix}queue ${JSON.stringify(step.name)}: ${escapeControls(error.message)}${context}`,
      );
    }
    throw error;
  }
}

/** SQS's messages may echo a value given (a tag, a policy): keep them one printable line. */
function escapeControls(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what must be escaped
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
