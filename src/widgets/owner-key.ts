/**
 * The owner as it appears in S3 keys: spaces become dashes, letters lower case
 * (`Mary Matthews` -> `mary-matthews`), as in the course's widget bucket.
 */
export function ownerKey(owner: string): string {
  return owner.replaceAll(" ", "-").toLowerCase();
}
