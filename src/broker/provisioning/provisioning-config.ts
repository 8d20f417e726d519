import { parseConfigText } from "../config-text.ts";

/**
 * Queues to create on start when missing, from a JSON or YAML file:
 *
 * ```yaml
 * queues:
 *   - name: cs5260-requests
 *     attributes: { VisibilityTimeout: 30 }
 *     tags: { app: widgets }
 *     deadLetterQueue: { name: cs5260-requests-dlq, maxReceiveCount: 5 }
 *   - name: csse6400_prac.fifo           # .fifo names are FIFO queues
 *     attributes: { ContentBasedDeduplication: true }
 * ```
 */
export interface ProvisioningConfig {
  queues: QueueDeclaration[];
}

export interface QueueDeclaration {
  name: string;
  /** SQS queue attributes; numbers and booleans are written as SQS strings. */
  attributes?: Record<string, string | number | boolean>;
  /** Numbers and booleans are written as strings. */
  tags?: Record<string, string | number | boolean>;
  /** Creates this dead-letter queue (same type) if missing and points the queue's RedrivePolicy at it. */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
}

export class ProvisioningConfigError extends Error {
  override readonly name = "ProvisioningConfigError";
}

/** Parses and checks a provisioning file's text; `source` names it in errors. */
export function parseProvisioningConfig(text: string, source: string): ProvisioningConfig {
  const data = parseConfigText(text, source, (message) => new ProvisioningConfigError(message));
  const queues = (data as { queues?: unknown } | null)?.queues;
  if (!Array.isArray(queues))
    throw new ProvisioningConfigError(`${source}: expected a "queues" list`);
  return { queues: queues.map((q, i) => checkDeclaration(q, `${source}: queues[${i}]`)) };
}

function checkDeclaration(value: unknown, where: string): QueueDeclaration {
  if (typeof value !== "object" || value === null)
    throw new ProvisioningConfigError(`${where}: expected an object`);
  const q = value as Record<string, unknown>;
  if (typeof q.name !== "string" || q.name === "")
    throw new ProvisioningConfigError(`${where}: "name" is required`);
  const known = new Set(["name", "attributes", "tags", "deadLetterQueue"]);
  const unknown = Object.keys(q).find((k) => !known.has(k));
  if (unknown) throw new ProvisioningConfigError(`${where}: unknown field "${unknown}"`);
  for (const field of ["attributes", "tags"] as const) {
    if (
      q[field] !== undefined &&
      (typeof q[field] !== "object" || q[field] === null || Array.isArray(q[field]))
    ) {
      throw new ProvisioningConfigError(`${where}: "${field}" must be a map`);
    }
  }
  const dlq = q.deadLetterQueue as Record<string, unknown> | undefined;
  if (dlq !== undefined) {
    if (typeof dlq?.name !== "string" || !Number.isInteger(dlq.maxReceiveCount)) {
      throw new ProvisioningConfigError(
        `${where}: "deadLetterQueue" needs a name and an integer maxReceiveCount`,
      );
    }
  }
  return q as unknown as QueueDeclaration;
}
