import { CliError } from "./cli-error.ts";

/**
 * A flag parser for an S3 bucket: its name, or the name as the AWS CLI
 * writes a bucket, `s3://name` (a trailing `/` too), since people copy it
 * from there. A key after the name is refused: the flag names a whole bucket.
 */
export function bucketFlag(flag: string): (value: string) => string {
  return (value) => {
    if (!value.startsWith("s3://")) return value;
    const name = /^s3:\/\/([^/]+)\/?$/.exec(value)?.[1];
    if (name === undefined) {
      throw new CliError(
        `${flag} names a bucket, as name or s3://name, without a key or prefix; got "${value}"`,
        2,
      );
    }
    return name;
  };
}
