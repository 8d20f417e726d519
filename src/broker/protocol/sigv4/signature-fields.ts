/** What a SigV4 signature says about itself, from either the header or the query string. */
export interface SignatureFields {
  /** `AWS4-HMAC-SHA256`, if the client signed as AWS documents. */
  algorithm: string;
  /** `AKID/20261204/us-east-1/sqs/aws4_request`. */
  credential: string;
  /** `host;x-amz-date`, as sent. */
  signedHeaders: string;
  /** Lower-case hex, as sent. */
  signature: string;
  /** The signing time as it goes into the string to sign: `20261204T101500Z`. */
  amzDate: string;
  /** Presigned only: `X-Amz-Expires` as sent, undefined when absent. */
  expires: string | undefined;
  presigned: boolean;
}
