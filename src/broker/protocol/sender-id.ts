/**
 * The caller's identity as SenderId: the access key id of a SigV4
 * Authorization header (`Credential=AKID/...`), or the account id when the
 * request is unsigned.
 */
export function senderIdFrom(authorization: string | undefined, accountId: string): string {
  if (!authorization) return accountId;
  const start = authorization.indexOf("Credential=");
  if (start < 0) return accountId;
  const end = authorization.indexOf("/", start);
  const key = authorization.slice(start + "Credential=".length, end < 0 ? undefined : end);
  return key || accountId;
}
