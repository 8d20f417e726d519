import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { AppError } from "../app-error.ts";
import { listObjectKeys } from "../aws/list-object-keys.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";
import { USER_ID_PATTERN } from "./todo-item.ts";
import { calendarEtag, versionName, versionOf } from "./calendar-store.ts";
import type { CalendarStore, StoredCalendar } from "./calendar-store.ts";

/** Object metadata holding the render time in ms (S3's Last-Modified has whole seconds). */
const RENDERED_AT = "rendered-at";
const READ_ATTEMPTS = 5;

export interface S3CalendarStoreOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Default `calendars/`. */
  readonly keyPrefix?: string;
  /** Whether `close()` destroys `s3`. Default false. */
  readonly ownsClient?: boolean;
}

/** Calendars as objects: `<prefix><userId>/<version>.ics`, `text/calendar`. */
export class S3CalendarStore implements CalendarStore {
  readonly kind = "S3";
  readonly location: string;
  private readonly prefix: string;

  constructor(private readonly options: S3CalendarStoreOptions) {
    this.prefix = options.keyPrefix ?? "calendars/";
    this.location = `s3://${options.bucket}/${this.prefix}`;
  }

  async put(userId: string, version: number, ics: string): Promise<void> {
    const { s3, bucket } = this.options;
    await this.call(() =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${this.folderOf(userId)}${versionName(version)}`,
          Body: ics,
          ContentType: "text/calendar; charset=utf-8",
          Metadata: { [RENDERED_AT]: String(Date.now()) },
        }),
      ),
    );
    const older = (await this.versions(userId)).filter((stored) => stored < version);
    await Promise.all(
      older.map((old) =>
        this.call(() =>
          s3.send(
            new DeleteObjectCommand({
              Bucket: bucket,
              Key: `${this.folderOf(userId)}${versionName(old)}`,
            }),
          ),
        ),
      ),
    );
  }

  async latest(userId: string): Promise<StoredCalendar | undefined> {
    const { s3, bucket } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      const version = (await this.versions(userId)).at(-1);
      if (version === undefined) return undefined;
      try {
        const object = await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: `${this.folderOf(userId)}${versionName(version)}`,
          }),
        );
        const ics = (await object.Body?.transformToString("utf-8")) ?? "";
        const renderedAt =
          Number(object.Metadata?.[RENDERED_AT]) || object.LastModified?.getTime() || Date.now();
        return { userId, version, ics, renderedAt, etag: calendarEtag(ics) };
      } catch (error) {
        // A newer version's writer removed this one between the listing and the read.
        if ((error as Error).name !== "NoSuchKey" || attempt >= READ_ATTEMPTS)
          throw this.explain(error);
      }
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) this.options.s3.destroy();
  }

  private async versions(userId: string): Promise<number[]> {
    const found: number[] = [];
    const prefix = this.folderOf(userId);
    await this.call(async () => {
      for await (const keys of listObjectKeys(this.options.s3, this.options.bucket, { prefix })) {
        for (const key of keys) {
          const version = versionOf(key.slice(prefix.length));
          if (version !== undefined) found.push(version);
        }
      }
    });
    return found.sort((a, b) => a - b);
  }

  private folderOf(userId: string): string {
    if (!USER_ID_PATTERN.test(userId)) throw new Error(`not a user id: ${JSON.stringify(userId)}`);
    return `${this.prefix}${userId}/`;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.explain(error);
    }
  }

  private explain(error: unknown): unknown {
    if ((error as Error).name === "NoSuchBucket") {
      return new AppError(`the calendar bucket ${this.options.bucket} does not exist`, 1, {
        cause: error,
      });
    }
    return describeConnectionError(error, "S3");
  }
}
