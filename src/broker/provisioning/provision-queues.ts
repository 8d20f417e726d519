import { SqsError } from "../engine/errors.ts";
import { queueArn } from "../engine/queue-arn.ts";
import type { SqsEngine } from "../engine/sqs-engine.ts";
import { ProvisioningConfigError } from "./provisioning-config.ts";
import type { ProvisioningConfig, QueueDeclaration } from "./provisioning-config.ts";

/**
 * Creates the declared queues that do not exist yet (dead-letter queues
 * first). Existing queues are left as they are: provisioning never changes
 * or deletes what a user may have set since.
 */
export function provisionQueues(engine: SqsEngine, config: ProvisioningConfig): string[] {
  const created: string[] = [];
  for (const declaration of config.queues) {
    const dlq = declaration.deadLetterQueue;
    if (dlq) ensureQueue(engine, { name: dlq.name }, declaration.name.endsWith(".fifo"), created);
    ensureQueue(engine, declaration, declaration.name.endsWith(".fifo"), created);
  }
  return created;
}

function ensureQueue(
  engine: SqsEngine,
  declaration: QueueDeclaration,
  fifo: boolean,
  created: string[],
): void {
  const name = declaration.name;
  if (engine.listQueues(name).names.includes(name)) return;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(declaration.attributes ?? {}))
    attributes[key] = String(value);
  if (fifo || name.endsWith(".fifo")) attributes.FifoQueue = "true";
  const dlq = declaration.deadLetterQueue;
  if (dlq) {
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: queueArn(engine.location, dlq.name),
      maxReceiveCount: dlq.maxReceiveCount,
    });
  }
  try {
    engine.createQueue(name, attributes, declaration.tags ?? {});
  } catch (error) {
    if (error instanceof SqsError)
      throw new ProvisioningConfigError(`queue ${name}: ${error.message}`);
    throw error;
  }
  created.push(name);
}
