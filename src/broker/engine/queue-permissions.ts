import { SqsError, errors } from "./errors.ts";
import { parseClientJson } from "./json-nesting.ts";

/** One statement of a queue policy, as AddPermission writes it. */
interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: PolicyStatement[];
}

const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
/** "An Amazon SQS policy can have a maximum of seven actions per statement" (AddPermission). */
const MAX_ACTIONS = 7;

/**
 * AddPermission: adds a statement named `label` to the queue's Policy. The
 * policy is stored and reported, not enforced (the broker trusts its callers).
 */
export function addPermission(
  policyText: string | undefined,
  queueArn: string,
  label: string,
  accountIds: string[],
  actions: string[],
): string {
  if (!LABEL.test(label)) {
    throw errors.invalidParameter(
      "Label",
      label,
      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.",
    );
  }
  if (accountIds.length === 0) throw errors.missingParameter("AWSAccountIds");
  if (actions.length === 0) throw errors.missingParameter("Actions");
  if (actions.length > MAX_ACTIONS) {
    throw new SqsError(
      "OverLimit",
      `${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`,
    );
  }
  const policy = parsePolicy(policyText, queueArn);
  if (policy.Statement.some((s) => s.Sid === label)) {
    throw errors.invalidParameter("Label", label, "Already exists.");
  }
  const principals = accountIds.map((id) => `arn:aws:iam::${id}:root`);
  const sqsActions = actions.map((action) => `SQS:${action}`);
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: principals.length === 1 ? principals[0]! : principals },
    Action: sqsActions.length === 1 ? sqsActions[0]! : sqsActions,
    Resource: queueArn,
  });
  return JSON.stringify(policy);
}

/** RemovePermission: drops the statement; returns "" when the policy is left empty. */
export function removePermission(
  policyText: string | undefined,
  queueArn: string,
  label: string,
): string {
  const policy = parsePolicy(policyText, queueArn);
  const kept = policy.Statement.filter((s) => s.Sid !== label);
  if (kept.length === policy.Statement.length) {
    throw errors.invalidParameter("Label", label, "can't find label.");
  }
  return kept.length === 0 ? "" : JSON.stringify({ ...policy, Statement: kept });
}

function parsePolicy(text: string | undefined, queueArn: string): PolicyDocument {
  if (!text) return { Version: "2008-10-17", Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  try {
    const parsed = parseClientJson(text) as Partial<PolicyDocument>;
    const given = Array.isArray(parsed.Statement)
      ? parsed.Statement
      : parsed.Statement
        ? [parsed.Statement]
        : [];
    // A policy stored by hand may hold anything: only statements are statements.
    const statements = given.filter(
      (statement): statement is PolicyStatement =>
        typeof statement === "object" && statement !== null && !Array.isArray(statement),
    );
    return {
      Version: parsed.Version ?? "2008-10-17",
      Id: parsed.Id ?? `${queueArn}/SQSDefaultPolicy`,
      Statement: statements,
    };
  } catch {
    throw new SqsError("InvalidAttributeValue", "Invalid value for the parameter Policy.");
  }
}
