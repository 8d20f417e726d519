import { queueArn, queueNameFromArn } from "../engine/queue-arn.ts";
import type { QueueLocation } from "../engine/queue-arn.ts";
import { ProvisioningConfigError } from "./provisioning-config.ts";
import type { ProvisioningConfig, QueueDeclaration } from "./provisioning-config.ts";

/** One queue to create, with its settings as the strings SQS is sent. */
export interface QueueStep {
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /**
   * A RedrivePolicy whose dead-letter queue is the queue itself (AWS takes
   * that), set once the queue exists: creating it with the policy would name
   * a queue that does not exist yet.
   */
  ownRedrivePolicy?: string;
}

/**
 * The queues of a config in the order to create them: each after its
 * dead-letter queue, whatever the order of the file, else in the file's order.
 * A dead-letter queue declared only by `deadLetterQueue` gets a plain step.
 * Refuses a name declared twice and dead-letter queues that form a cycle.
 */
export function planProvisioning(config: ProvisioningConfig, location: QueueLocation): QueueStep[] {
  const prefix = config.source === undefined ? "" : `${config.source}: `;
  const steps = new Map<string, QueueStep>();
  const declaredAt = new Map<string, number>();
  config.queues.forEach((declaration, i) => {
    const first = declaredAt.get(declaration.name);
    if (first !== undefined) {
      throw new ProvisioningConfigError(
        `${prefix}queue ${JSON.stringify(declaration.name)} is declared twice (queues[${first}] and queues[${i}])`,
      );
    }
    declaredAt.set(declaration.name, i);
    steps.set(declaration.name, stepFor(declaration, location));
  });
  for (const declaration of config.queues) {
    const dlq = declaration.deadLetterQueue?.name;
    if (dlq !== undefined && !steps.has(dlq)) steps.set(dlq, stepFor({ name: dlq }, location));
  }

  const ordered: QueueStep[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (step: QueueStep): void => {
    if (done.has(step.name)) return;
    const cycleStart = visiting.indexOf(step.name);
    if (cycleStart >= 0) {
      const cycle = [...visiting.slice(cycleStart), step.name].map((n) => JSON.stringify(n));
      throw new ProvisioningConfigError(
        `${prefix}queue ${cycle[0]}: dead-letter queues form a cycle: ${cycle.join(" -> ")}`,
      );
    }
    visiting.push(step.name);
    const dlq = deadLetterTarget(step, location);
    const dlqStep = dlq === undefined ? undefined : steps.get(dlq);
    if (dlqStep) visit(dlqStep);
    visiting.pop();
    done.add(step.name);
    ordered.push(step);
  };
  for (const step of steps.values()) visit(step);
  return ordered;
}

function stepFor(declaration: QueueDeclaration, location: QueueLocation): QueueStep {
  const { name, deadLetterQueue } = declaration;
  const attributes = asStrings(declaration.attributes);
  // A .fifo name is enough to ask for a FIFO queue; a FifoQueue given is sent as it is, for the engine to judge.
  if (name.endsWith(".fifo")) attributes.FifoQueue ??= "true";
  if (deadLetterQueue) {
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: queueArn(location, deadLetterQueue.name),
      maxReceiveCount: deadLetterQueue.maxReceiveCount,
    });
  }
  const step: QueueStep = { name, attributes, tags: asStrings(declaration.tags) };
  if (deadLetterTarget(step, location) === name) {
    step.ownRedrivePolicy = attributes.RedrivePolicy;
    delete attributes.RedrivePolicy;
  }
  return step;
}

/** The name of the queue a step's RedrivePolicy names in this region and account, if any. */
function deadLetterTarget(step: QueueStep, location: QueueLocation): string | undefined {
  const policy = step.attributes.RedrivePolicy;
  if (policy === undefined) return undefined;
  let arn: unknown;
  try {
    arn = (JSON.parse(policy) as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  } catch {
    return undefined; // the engine refuses it, with SQS's words
  }
  if (typeof arn !== "string") return undefined;
  const name = queueNameFromArn(arn);
  return name !== undefined && queueArn(location, name) === arn ? name : undefined;
}

/** SQS wants every value as a string; a policy given as an object is sent as its JSON. */
function asStrings(values: QueueDeclaration["attributes"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    out[key] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return out;
}
