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
  const declared = new Map(config.queues.map((q) => [q.name, q]));
  for (const declaration of config.queues) {
    const dlq = declaration.deadLetterQueue;
    // A dead-letter queue declared in its own right (even further down) keeps its attributes and tags.
    if (dlq) ensureQueue(engine, declared.get(dlq.name) ?? { name: dlq.name }, created);
    ensureQueue(engine, declaration, created);
  }
  return created;
}

function ensureQueue(engine: SqsEngine, declaration: QueueDeclaration, created: string[]): void {
  const name = declaration.name;
  if (engine.listQueues(name).names.includes(name)) return;
  const attributes = asStrings(declaration.attributes);
  if (name.endsWith(".fifo")) attributes.FifoQueue = "true";
  const dlq = declaration.deadLetterQueue;
  if (dlq) {
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: queueArn(engine.location, dlq.name),
      maxReceiveCount: dlq.maxReceiveCount,
    });
  }
  try {
    engine.createQueue(name, attributes, asStrings(declaration.tags));
  } catch (error) {
    if (error instanceof SqsError) {
      throw new ProvisioningConfigError(`queue ${name}: ${error.message}`);
    }
    throw error;
  }
  created.push(name);
}

/** YAML reads `VisibilityTimeout: 30` as a number; SQS wants every value as a string. */
function asStrings(
  values: Record<string, string | number | boolean> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) out[key] = String(value);
  return out;
}
