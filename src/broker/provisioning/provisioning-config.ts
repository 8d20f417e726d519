import { parseConfigText } from "../config-text.ts";
import type { DataPath } from "../config-text.ts";

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
  /** The file it was read from, which errors name first. */
  source?: string;
}

/** A policy attribute written as a map (JSON object) rather than as its JSON text. */
export type PolicyDocument = { [key: string]: unknown };

export interface QueueDeclaration {
  name: string;
  /**
   * SQS queue attributes; numbers and booleans are written as SQS strings, and
   * a Policy, RedrivePolicy or RedriveAllowPolicy given as a map as its JSON.
   */
  attributes?: Record<string, string | number | boolean | PolicyDocument>;
  /** Numbers and booleans are written as strings. */
  tags?: Record<string, string | number | boolean>;
  /** Creates this dead-letter queue (same type) if missing and points the queue's RedrivePolicy at it. */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
}

export class ProvisioningConfigError extends Error {
  override readonly name = "ProvisioningConfigError";
}

/** The attributes whose value is a JSON document, which a file may write as a map. */
export const POLICY_ATTRIBUTES: ReadonlySet<string> = new Set([
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
]);

const QUEUE_FIELDS = new Set(["name", "attributes", "tags", "deadLetterQueue"]);
const DEAD_LETTER_FIELDS = new Set(["name", "maxReceiveCount"]);

/** Attribute and tag maps, whose YAML values are read as written (`1.10` stays "1.10"). */
const keepsText = (path: DataPath): boolean =>
  path.length === 3 &&
  path[0] === "queues" &&
  typeof path[1] === "number" &&
  (path[2] === "attributes" || path[2] === "tags");

/**
 * Parses and checks a provisioning file's text; `source` names it in errors.
 * Attribute and tag values come out as strings (policies given as maps as
 * their JSON). Top-level keys other than `queues` must start with `x-` (a
 * place for YAML anchors, as in Compose files).
 */
export function parseProvisioningConfig(text: string, source: string): ProvisioningConfig {
  const data = parseConfigText(text, source, (message) => new ProvisioningConfigError(message), {
    keepsText,
  });
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new ProvisioningConfigError(`${source}: expected a "queues" list`);
  const unknown = Object.keys(data).find((k) => k !== "queues" && !k.startsWith("x-"));
  if (unknown !== undefined) {
    throw new ProvisioningConfigError(
      `${source}: unknown top-level key ${JSON.stringify(unknown)} (only "queues", and x-... for anchors)`,
    );
  }
  const queues = (data as { queues?: unknown }).queues;
  if (!Array.isArray(queues))
    throw new ProvisioningConfigError(`${source}: expected a "queues" list`);
  return {
    queues: queues.map((q, i) => checkDeclaration(q, `${source}: queues[${i}]`)),
    source,
  };
}

function checkDeclaration(value: unknown, at: string): QueueDeclaration {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ProvisioningConfigError(`${at}: expected an object`);
  const q = value as Record<string, unknown>;
  if (q.name === undefined || q.name === null || q.name === "")
    throw new ProvisioningConfigError(`${at}: "name" is required`);
  if (typeof q.name !== "string") {
    throw new ProvisioningConfigError(
      `${at}: "name" must be a string, got ${describe(q.name)} (quote it)`,
    );
  }
  const where = `${at} (queue ${JSON.stringify(q.name)})`;
  const unknown = Object.keys(q).find((k) => !QUEUE_FIELDS.has(k));
  if (unknown !== undefined)
    throw new ProvisioningConfigError(`${where}: unknown field ${JSON.stringify(unknown)}`);
  const declaration: QueueDeclaration = { name: q.name };
  if (q.attributes !== undefined)
    declaration.attributes = checkValues(q.attributes, "attribute", where);
  if (q.tags !== undefined) declaration.tags = checkValues(q.tags, "tag", where);
  if (q.deadLetterQueue !== undefined) {
    declaration.deadLetterQueue = checkDeadLetterQueue(q.deadLetterQueue, where);
    if (declaration.attributes?.RedrivePolicy !== undefined) {
      throw new ProvisioningConfigError(
        `${where}: gives both a RedrivePolicy attribute and "deadLetterQueue"; keep one`,
      );
    }
  }
  return declaration;
}

/** An attribute or tag map, every value as the string SQS is sent. */
function checkValues(
  value: unknown,
  kind: "attribute" | "tag",
  where: string,
): Record<string, string> {
  const field = `${kind}s`;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ProvisioningConfigError(`${where}: "${field}" must be a map`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const named = `${kind} ${JSON.stringify(key)}`;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      out[key] = String(v);
    } else if (v === null) {
      throw new ProvisioningConfigError(
        `${where}: ${named} has no value (write "" for an empty one)`,
      );
    } else if (kind === "attribute" && POLICY_ATTRIBUTES.has(key) && isMap(v)) {
      out[key] = JSON.stringify(v);
    } else {
      throw new ProvisioningConfigError(
        `${where}: ${named} must be a string, number or boolean, not ${describe(v)}`,
      );
    }
  }
  return out;
}

function checkDeadLetterQueue(
  value: unknown,
  where: string,
): { name: string; maxReceiveCount: number } {
  const dlq = isMap(value) ? value : {};
  if (typeof dlq.name !== "string" || dlq.name === "" || !Number.isInteger(dlq.maxReceiveCount)) {
    throw new ProvisioningConfigError(
      `${where}: "deadLetterQueue" needs a name and an integer maxReceiveCount`,
    );
  }
  const unknown = Object.keys(dlq).find((k) => !DEAD_LETTER_FIELDS.has(k));
  if (unknown !== undefined) {
    throw new ProvisioningConfigError(
      `${where}: unknown field ${JSON.stringify(unknown)} in "deadLetterQueue"`,
    );
  }
  return { name: dlq.name, maxReceiveCount: dlq.maxReceiveCount as number };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a value is, for an error that says what was found instead. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "object" && value !== null) return "a map";
  return `${typeof value} ${JSON.stringify(value)}`;
}
