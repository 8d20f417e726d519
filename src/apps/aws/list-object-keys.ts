import { ListObjectsCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";

/**
 * The keys of a bucket under `prefix`, in lexical order, a page at a time.
 *
 * ListObjects (v1) pages with a marker, the last key seen, which every
 * S3-compatible server supports. ListObjectsV2's opaque continuation tokens
 * are not portable: s3rver makes them with a cipher Node's OpenSSL 3 no longer
 * offers and answers 500 to any truncated listing.
 */
export async function* listObjectKeys(
  s3: S3Client,
  bucket: string,
  options: { prefix?: string; pageSize?: number; delimiter?: string } = {},
): AsyncGenerator<string[]> {
  let marker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectsCommand({
        Bucket: bucket,
        ...(options.prefix ? { Prefix: options.prefix } : {}),
        ...(options.pageSize ? { MaxKeys: options.pageSize } : {}),
        // Keys with the delimiter after the prefix are left out (S3 rolls them up).
        ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
        ...(marker === undefined ? {} : { Marker: marker }),
      }),
    );
    const keys = (page.Contents ?? []).flatMap(({ Key }) => (Key === undefined ? [] : [Key]));
    if (keys.length > 0) yield keys;
    if (!page.IsTruncated) return;
    // S3 counts each rolled-up prefix against MaxKeys, so a page may hold
    // nothing else (s3rver does not count them, so its tests cannot show it).
    const rolledUp = (page.CommonPrefixes ?? []).flatMap(({ Prefix }) => Prefix ?? []);
    const last = [...keys, ...rolledUp].sort().at(-1);
    marker = page.NextMarker ?? last;
    if (marker === undefined) return;
  }
}
