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
 * The whole config is checked first, by creating every queue on an empty
 * engine in memory with the engine's own rules: a config that fails creates
 * nothing, and fails whatever the data dir already holds. A declared queue
 * deleted less than a minute ago is created anyway: the 60-second rule is for
 * clients, and a broker restarted by a supervisor must not be refused.
 */
export function provisionQueues(engine: SqsEngine, config: ProvisioningConfig): string[] {
  const steps = planProvisioning(config, engine.location);
  const prefix = config.source === undefined ? "" : `${config.source}: `;
  const dryRun = new SqsEngine({
    store: new MemoryStore(),
    location: engine.location,
    relaxedTiming: true,
  });
  try {
    for (const step of steps) createQueue(dryRun, step, prefix);
  } finally {
    dryRun.close();
  }
  const created: string[] = [];
  for (const step of steps) {
    if (engine.hasQueue(step.name)) continue;
    createQueue(engine, step, prefix);
    created.push(step.name);
  }
  return created;
}

function createQueue(engine: SqsEngine, step: QueueStep, prefix: string): void {
  try {
    engine.createQueue(step.name, step.attributes, step.tags, { evenIfDeletedRecently: true });
    if (step.ownRedrivePolicy !== undefined) {
      engine.setQueueAttributes(step.name, { RedrivePolicy: step.ownRedrivePolicy });
    }
  } catch (error) {
    if (error instanceof SqsError) {
      throw new ProvisioningConfigError(
        `${prefix}queue ${JSON.stringify(step.name)}: ${escapeControls(error.message)}`,
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
