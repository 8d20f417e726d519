import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "pino";
import {
  parseRevision,
  REVISION_ATTRIBUTE,
  sentAtFromKey,
} from "../../widgets/request-position.ts";
import { listObjectKeys } from "../aws/list-object-keys.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { HeldRetries } from "./held-retries.ts";
import { OldestFirstPoller } from "./oldest-first-poller.ts";
import type { ReceivedRequest, RequestSource } from "./request-source.ts";

/** Metadata key counting how many times a request was handed out (kept across put-backs). */
const RECEIVE_COUNT_METADATA = "receive-count";
/** Prefix under which requests set aside are kept, with a `.reason` object beside each. */
export const REJECTED_PREFIX = "rejected/";

export interface BucketSourceOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly logger: Logger;
}

/**
 * Requests from a request bucket (CS5260 HW2): one at a time, smallest key
 * first (keys are millisecond timestamps, so that is oldest first); delete,
 * then process. Another consumer may take a request between listing and
 * reading it: that is logged as the course does and the next key is tried.
 */
export class BucketRequestSource implements RequestSource {
  readonly description: string;
  readonly setAsideLocation: string;
  readonly maxReceiveCount = undefined;
  private readonly poller: OldestFirstPoller;
  private readonly retries: HeldRetries;

  constructor(private readonly options: BucketSourceOptions) {
    this.description = `bucket s3://${options.bucket}`;
    this.setAsideLocation = `s3://${options.bucket}/${REJECTED_PREFIX}`;
    this.retries = new HeldRetries((error) =>
      options.logger.error({ err: error }, "could not put a request back into the bucket"),
    );
    this.poller = new OldestFirstPoller(() => this.claimOldest(), options.logger);
  }

  receive(signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    return this.poller.next(signal);
  }

  async close(): Promise<void> {
    await this.retries.releaseAll();
  }

  private async claimOldest(): Promise<ReceivedRequest | undefined> {
    const { s3, bucket, logger } = this.options;
    let keys: string[];
    try {
      // Requests sit at the top level; anything under a prefix (rejected/, a
      // widget store's keys when the bucket is shared) is not one, and is not listed.
      const firstPage = listObjectKeys(s3, bucket, { pageSize: 20, delimiter: "/" }).next();
      keys = (await firstPage).value ?? [];
    } catch (error) {
      throw describeConnectionError(error, "S3");
    }
    for (const key of keys) {
      let object;
      try {
        object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (error instanceof NoSuchKey) {
          logger.info({ key }, `Could not find request ${key} to retrieve`);
          continue;
        }
        throw error;
      }
      const body = await object.Body!.transformToString();
      const metadata = object.Metadata ?? {};
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      // The course names requests by their millisecond timestamp; other names fall back on the upload time.
      const sentAt = sentAtFromKey(key) ?? object.LastModified?.getTime();
      return this.toRequest(key, body, metadata, sentAt);
    }
    return undefined;
  }

  private toRequest(
    key: string,
    body: string,
    metadata: Record<string, string>,
    sentAt: number | undefined,
  ): ReceivedRequest {
    const { s3, bucket } = this.options;
    const receiveCount = (Number(metadata[RECEIVE_COUNT_METADATA]) || 0) + 1;
    const putBack = (Key: string, Body: string, Metadata: Record<string, string>) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body,
          Metadata,
          ContentType: "application/json",
        }),
      );
    return {
      id: key,
      body,
      revision: parseRevision(metadata[REVISION_ATTRIBUTE]),
      sentAt,
      receiveCount,
      complete: async () => {
        // Already deleted when claimed (delete, then process).
      },
      retryLater: async (delaySeconds) => {
        const again = { ...metadata, [RECEIVE_COUNT_METADATA]: String(receiveCount) };
        this.retries.hold(delaySeconds, async () => {
          await putBack(key, body, again);
        });
      },
      setAside: async (reason) => {
        await putBack(`${REJECTED_PREFIX}${key}`, body, metadata);
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${REJECTED_PREFIX}${key}.reason`,
            Body: reason,
            ContentType: "text/plain; charset=utf-8",
          }),
        );
      },
    };
  }
}
