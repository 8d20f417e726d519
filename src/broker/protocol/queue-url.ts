import { SqsError, errors } from "../engine/errors.ts";

/**
 * Reads the queue name out of a queue URL: `<scheme>://<any host>/<account>/<name>`.
 * Only the path matters, so URLs handed out under another host name (a
 * container's, a load balancer's) keep working. A bare queue name is taken
 * too, as SQS takes it (LocalStack's AWS-validated
 * test_posting_to_queue_via_queue_name and test_set_empty_redrive_policy).
 */
export function queueNameFromUrl(queueUrl: string, accountId: string): string {
  const schemeEnd = queueUrl.indexOf("://");
  if (schemeEnd < 0) {
    if (queueUrl === "" || queueUrl.includes("/")) throw invalidAddress(queueUrl);
    return queueUrl;
  }
  const pathStart = queueUrl.indexOf("/", schemeEnd + 3);
  if (pathStart < 0) throw invalidAddress(queueUrl);
  const path = queueUrl.slice(pathStart + 1);
  const slash = path.indexOf("/");
  if (slash < 0) throw invalidAddress(queueUrl);
  const account = path.slice(0, slash);
  const name = path.slice(slash + 1);
  if (name === "" || name.includes("/")) throw invalidAddress(queueUrl);
  if (account !== accountId) throw errors.queueDoesNotExist();
  return name;
}

/** `base` is `scheme://host[:port]` (see queue-url-base.ts). */
export function buildQueueUrl(base: string, accountId: string, name: string): string {
  return `${base}/${accountId}/${name}`;
}

function invalidAddress(queueUrl: string): SqsError {
  return new SqsError("InvalidAddress", `The address ${queueUrl} is not valid for this endpoint.`);
}
