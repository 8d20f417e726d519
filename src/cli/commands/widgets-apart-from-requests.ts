import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { RequestSourceOptions } from "../../apps/sources/open-request-source.ts";
import type { WidgetStoreOptions } from "../../apps/stores/widget-store-options.ts";
import { DEFAULT_KEY_PREFIX } from "../../apps/stores/widget-key.ts";
import { CliError } from "../cli-error.ts";

/**
 * Refuses a layout that would write widgets at the top of the request bucket
 * or folder: only the keys there are requests, so the consumer would take
 * its own widgets for requests, find them invalid and move them to
 * `rejected/`. One bucket or folder may hold both only when every widget
 * key has a `/` in it: the owner in the key, or a prefix with a `/` (in a
 * folder, any non-empty prefix, since it is a folder there).
 */
export function assertWidgetsApartFromRequests(
  source: RequestSourceOptions,
  store: WidgetStoreOptions,
): void {
  if (store.kind === "dynamodb" || store.ownerInKey !== false) return;
  const prefix = store.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const given = `with --widget-key-prefix ${JSON.stringify(prefix)} and --no-use-owner-in-prefix`;
  const taken = "where the consumer takes requests from, and would take them for requests";
  if (source.kind === "bucket" && store.kind === "s3") {
    if (source.bucket === store.bucket && !prefix.includes("/")) {
      throw new CliError(
        `--widget-bucket ${store.bucket} is the request bucket: ${given} each widget's key ` +
          `(${prefix}<id>) would be at its top, ${taken}; ` +
          "give a --widget-key-prefix with a /, such as widgets/, or keep the owner in the key",
        2,
      );
    }
  }
  if (source.kind === "folder" && store.kind === "folder") {
    const parts = prefix.split("/").filter((part) => part !== "");
    const widgetFolder = join(realPath(store.dir), ...parts);
    if (widgetFolder === realPath(source.dir)) {
      throw new CliError(
        `--widget-dir ${store.dir} ${given} puts each widget's file in the request folder ` +
          `${source.dir}, ${taken}; give another --widget-key-prefix or --widget-dir, ` +
          "or keep the owner in the key",
        2,
      );
    }
  }
}

/** The folder's real path (links followed), as far as it exists: a folder still to make may be either. */
function realPath(folder: string): string {
  const absolute = resolve(folder);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}
