import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { parseRevision } from "../../widgets/request-order.ts";
import { isRequestFileName, revisionFilePath } from "../request-folder/request-folder-layout.ts";
import { HeldRetries } from "./held-retries.ts";
import { OldestFirstPoller } from "./oldest-first-poller.ts";
import type { ReceivedRequest, RequestSource } from "./request-source.ts";

/** Where claimed requests wait while processed; a dot name, so never taken for a request. */
const CLAIMED = ".claimed";
const ATTEMPTS = ".attempts";
export const REJECTED_FOLDER = "rejected";

/**
 * Requests from a local folder, the embedded stand-in for a request bucket:
 * smallest file name first. A consumer claims a request by renaming it into
 * `.claimed/` (atomic, so of several consumer processes exactly one wins),
 * processes it, and removes it. Set-aside requests go to `rejected/<key>` with
 * `rejected/<key>.reason` beside them.
 */
export class FolderRequestSource implements RequestSource {
  readonly description: string;
  readonly setAsideLocation: string;
  readonly maxReceiveCount = undefined;
  private readonly poller: OldestFirstPoller;
  private readonly retries: HeldRetries;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {
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
    await mkdir(join(this.dir, CLAIMED), { recursive: true });
    const keys = (await readdir(this.dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && isRequestFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
    for (const key of keys) {
      const claimed = join(this.dir, CLAIMED, key);
      try {
        await rename(join(this.dir, key), claimed);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          this.logger.info({ key }, `Could not find request ${key} to retrieve`);
          continue;
        }
        throw error;
      }
      return this.toRequest(key, claimed);
    }
    return undefined;
  }

  private async toRequest(key: string, claimed: string): Promise<ReceivedRequest> {
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
      receiveCount,
      complete: async () => {
        await rm(claimed, { force: true });
        await forget();
      },
      retryLater: async (delaySeconds) => {
        await mkdir(join(this.dir, ATTEMPTS), { recursive: true });
        await writeFile(attemptsFile, String(receiveCount));
        this.retries.hold(delaySeconds, () => rename(claimed, join(this.dir, key)));
      },
      setAside: async (reason) => {
        const rejected = join(this.dir, REJECTED_FOLDER);
        await mkdir(rejected, { recursive: true });
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
