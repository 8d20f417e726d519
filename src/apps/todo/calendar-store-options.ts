import { resolve } from "node:path";
import { AppError } from "../app-error.ts";
import { DEFAULT_REGION } from "../aws/aws-connection.ts";
import { folderProblem } from "../folder-problem.ts";
import { makeFolders } from "../make-folders.ts";
import type { AwsConnection } from "../aws/aws-connection.ts";
import { FolderCalendarStore } from "./folder-calendar-store.ts";
import type { CalendarStore } from "./calendar-store.ts";

/** Where calendars are kept, as `--calendar-dir` or `--calendar-bucket` choose. */
export type CalendarStoreOptions =
  | { readonly kind: "folder"; readonly dir: string }
  | { readonly kind: "s3"; readonly bucket: string; readonly keyPrefix?: string };

/** The store the options name; the S3 client is loaded only when asked for. */
export async function openCalendarStore(
  options: CalendarStoreOptions,
  connection: AwsConnection = { region: DEFAULT_REGION },
): Promise<CalendarStore> {
  if (options.kind === "folder") {
    // Made now, so a folder that cannot be is said at start, not at the first render.
    const dir = resolve(options.dir);
    await makeFolders(dir).catch((error: unknown) => {
      throw new AppError(`cannot use the calendar folder: ${folderProblem(error, dir)}`, 1, {
        cause: error,
      });
    });
    return new FolderCalendarStore(dir);
  }
  const [{ S3CalendarStore }, { createS3Client }, { assertBucketExists }] = await Promise.all([
    import("./s3-calendar-store.ts"),
    import("../aws/s3-client.ts"),
    import("../aws/bucket-exists.ts"),
  ]);
  const s3 = createS3Client(connection);
  // Checked now, as the queue and the results table are: a missing bucket is
  // one line at start, not a 500 on every page and every render retried.
  await assertBucketExists(s3, options.bucket).catch((error: unknown) => {
    s3.destroy();
    throw error;
  });
  return new S3CalendarStore({
    s3,
    bucket: options.bucket,
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    ownsClient: true,
  });
}
