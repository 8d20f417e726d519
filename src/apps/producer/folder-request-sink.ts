import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AppError } from "../app-error.ts";
import { makeFolder } from "../folder-problem.ts";
import { replaceFile } from "../replace-file.ts";
import type { GeneratedRequest } from "./request-generator.ts";
import {
  REVISIONS_FOLDER,
  requestFilePath,
  revisionFilePath,
} from "../request-folder/request-folder-layout.ts";
import type { RequestSink } from "./request-sink.ts";

export interface FolderRequestSinkOptions {
  /** The request folder; created (with its `.revisions` folder) when missing. */
  readonly dir: string;
}

/** Writes requests into a local request folder laid out as `request-folder-layout.ts` describes. */
export async function openFolderRequestSink(
  options: FolderRequestSinkOptions,
): Promise<RequestSink> {
  const dir = resolve(options.dir);
  await makeFolder(join(dir, REVISIONS_FOLDER), "request folder", dir);

  const store = async (request: GeneratedRequest): Promise<void> => {
    try {
      await replaceFile(revisionFilePath(dir, request.key), `${request.revision}\n`);
      await replaceFile(requestFilePath(dir, request.key), request.body);
    } catch (error) {
      throw new AppError(
        `cannot write request ${request.key} to ${dir}: ${(error as Error).message}`,
        1,
        { cause: error },
      );
    }
  };

  return {
    location: `folder ${dir}`,
    latestKey: await latestKeyIn(dir),
    async send(requests) {
      await Promise.all(requests.map(store));
    },
  };
}

/** The largest request key among the folder's requests and their revisions (0 if none). */
async function latestKeyIn(dir: string): Promise<number> {
  const names = [
    ...(await readdir(dir)),
    ...(await readdir(join(dir, REVISIONS_FOLDER)).catch(() => [])),
  ];
  return Math.max(0, ...names.filter((name) => /^\d{1,15}$/.test(name)).map(Number));
}
