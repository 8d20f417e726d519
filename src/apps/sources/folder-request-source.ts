import { readFile, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { parseRevision, sentAtFromKey } from "../../widgets/request-position.ts";
import { isRequestFileName, revisionFilePath } from "../request-folder/request-folder-layout.ts";
import { HeldRetries } from "./held-retries.ts";
import { OldestFirstPoller } from "./oldest-first-poller.ts";
import type { ReceivedRequest, RequestSource } from "./request-source.ts";
import { makeFolders } from "../make-folders.ts";

/** Where claimed requests wait while processed; a dot name, so never taken for a request. */
const CLAIMED = ".claimed";
const ATTEMPTS = ".attempts";
export const REJECTED_FOLDER = "rejected";

/** How long a claim lasts before any consumer may take the request back (SQS's visibility timeout). */
const DEFAULT_LEASE_SECONDS = 30;

export interface FolderSourceOptions {
  /** Seconds a claim lasts; default 30. Processing a request takes milliseconds. */
  readonly leaseSeconds?: number;
}

/**
 * Requests from a local folder, the embedded stand-in for a request bucket:
 * smallest file name first. A consumer claims a request by renaming it into
 * `.claimed/` (atomic, so of several consumer processes exactly one wins),
 * processes it, and removes it. Set-aside requests go to `rejected/<key>` with
 * `rejected/<key>.reason` beside them.
 *
 * A claim is a lease, as a receive is on SQS: the claimed file's mtime is set
 * to the moment the lease ends (a retry held back pushes it past the delay).
 * Consumers look for claims past their end, left by a consumer that was
 * killed, and put those requests back with their receive count raised, so
 * nothing stays stuck in `.claimed/`.
 */
export class FolderRequestSource implements RequestSource {
  readonly description: string;
  readonly setAsideLocation: string;
  readonly maxReceiveCount = undefined;
  private readonly poller: OldestFirstPoller;
  private readonly retries: HeldRetries;
  private readonly leaseMs: number;
  private nextRecoveryAt = 0;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    options: FolderSourceOptions = {},
  ) {
    this.leaseMs = (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
    this.description = `folder ${dir}`;
    this.setAsideLocation = join(dir, REJECTED_FOLDER);
    this.retries = new HeldRetries((error) =>
      logger.error({ err: error }, "could not put a request back into the folder"),
    );
    this.poller = new OldestFirstPoller(() => this.claimOldest(), logger);
  }

  receive(signal: AbortSignal): Promise<ReceivedRequest | undefined> {
    return this.poller.next(signal);
  }

  async close(): Promise<void> {
    await this.retries.releaseAll();
  }

  private async claimOldest(): Promise<ReceivedRequest | undefined> {
    await makeFolders(join(this.dir, CLAIMED));
    if (Date.now() >= this.nextRecoveryAt) {
      // Looked for every so often rather than on every claim: a dead
      // consumer is rare, and its requests wait for their lease anyway.
      this.nextRecoveryAt = Date.now() + Math.min(this.leaseMs, 5_000);
      await this.recoverExpiredClaims();
    }
    const keys = (await readdir(this.dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && isRequestFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
    for (const key of keys) {
      const waiting = join(this.dir, key);
      const claimed = join(this.dir, CLAIMED, key);
      let writtenAt: number;
      try {
        // When it was written, for a name that is not a timestamp: its birth
        // time, which claims and recoveries leave alone (else its mtime now).
        const written = await stat(waiting);
        writtenAt = written.birthtimeMs || written.mtimeMs;
        // The lease is stamped before the rename, so that no other consumer
        // ever sees this claim with the producer's (past) mtime and takes it back.
        await this.extendLease(waiting, 0);
        await rename(waiting, claimed);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          this.logger.info({ key }, `Could not find request ${key} to retrieve`);
          continue;
        }
        throw error;
      }
      return this.toRequest(key, claimed, writtenAt);
    }
    return undefined;
  }

  /** Marks the request's claim as lasting `extraSeconds` plus a lease from now. */
  private async extendLease(file: string, extraSeconds: number): Promise<void> {
    const endsAt = new Date(Date.now() + extraSeconds * 1000 + this.leaseMs);
    await utimes(file, endsAt, endsAt);
  }

  /** Remembers how often a request was handed out, for its next claim. */
  private async recordAttempts(attemptsFile: string, count: number): Promise<void> {
    await makeFolders(join(this.dir, ATTEMPTS));
    await writeFile(attemptsFile, String(count));
  }

  /** Puts back the requests whose claim ended without being completed (a consumer died). */
  private async recoverExpiredClaims(): Promise<void> {
    const now = Date.now();
    for (const key of await readdir(join(this.dir, CLAIMED))) {
      const claimed = join(this.dir, CLAIMED, key);
      const leaseEnd = (await stat(claimed).catch(() => undefined))?.mtimeMs;
      if (leaseEnd === undefined || leaseEnd > now) continue;
      // The count first, so whoever claims the request next reads it; two
      // consumers recovering at once write the same number.
      const attemptsFile = join(this.dir, ATTEMPTS, key);
      const attempts = (Number(await readOptional(attemptsFile)) || 0) + 1;
      await this.recordAttempts(attemptsFile, attempts);
      try {
        await rename(claimed, join(this.dir, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      this.logger.warn(
        { key, receiveCount: attempts },
        `Put request ${key} back: its claim ended without it being processed (a consumer stopped?)`,
      );
    }
  }

  private async toRequest(
    key: string,
    claimed: string,
    writtenAt: number,
  ): Promise<ReceivedRequest> {
    const body = await readFile(claimed, "utf8");
    const revision = parseRevision((await readOptional(revisionFilePath(this.dir, key)))?.trim());
    const attemptsFile = join(this.dir, ATTEMPTS, key);
    const receiveCount = (Number(await readOptional(attemptsFile)) || 0) + 1;
    const forget = async () => {
      await rm(revisionFilePath(this.dir, key), { force: true });
      await rm(attemptsFile, { force: true });
    };
    return {
      id: key,
      body,
      revision,
      // Named by its millisecond timestamp, as the course's requests are; else when it was written.
      sentAt: sentAtFromKey(key) ?? writtenAt,
      receiveCount,
      complete: async () => {
        await rm(claimed, { force: true });
        await forget();
      },
      retryLater: async (delaySeconds) => {
        await this.recordAttempts(attemptsFile, receiveCount);
        await this.extendLease(claimed, delaySeconds);
        this.retries.hold(delaySeconds, () => rename(claimed, join(this.dir, key)));
      },
      setAside: async (reason) => {
        const rejected = join(this.dir, REJECTED_FOLDER);
        await makeFolders(rejected);
        await writeFile(join(rejected, `${key}.reason`), `${reason}\n`);
        await rename(claimed, join(rejected, key));
        await forget();
      },
    };
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
