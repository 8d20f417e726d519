import type { RequestSourceOptions } from "../../apps/sources/open-request-source.ts";
import type { WidgetStoreOptions } from "../../apps/stores/widget-store-options.ts";
import { CliError } from "../cli-error.ts";

/** A consumer flag that only some sources or stores use. */
interface SituationalFlag {
  /** The option's key, as Commander names it (`widgetKeyPrefix`). */
  readonly key: string;
  /** The flag as the user would name it, given its value. */
  flag(value: unknown): string;
  /** Why it can have no effect with this source and store; `undefined` when it has one. */
  ignoredBecause(source: RequestSourceOptions, store: WidgetStoreOptions): string | undefined;
}

const WITH_A_TABLE = (store: WidgetStoreOptions) =>
  store.kind === "dynamodb"
    ? "--dynamodb-widget-table, whose items are keyed by the widget id alone"
    : undefined;

const SITUATIONAL_FLAGS: readonly SituationalFlag[] = [
  {
    key: "widgetKeyPrefix",
    flag: () => "--widget-key-prefix",
    ignoredBecause: (_, store) => WITH_A_TABLE(store),
  },
  {
    key: "useOwnerInPrefix",
    flag: (value) => (value === false ? "--no-use-owner-in-prefix" : "--use-owner-in-prefix"),
    ignoredBecause: (_, store) => WITH_A_TABLE(store),
  },
  {
    key: "queueWaitTimeout",
    flag: () => "--queue-wait-timeout",
    ignoredBecause: (source) =>
      source.kind === "queue"
        ? undefined
        : `--request-${source.kind === "bucket" ? "bucket" : "dir"}, which is looked at again every 100 ms (it is the long-poll wait of a queue's receives)`,
  },
  {
    key: "queueVisibilityTimeout",
    flag: () => "--queue-visibility-timeout",
    ignoredBecause: (source) =>
      source.kind === "bucket"
        ? "--request-bucket, whose requests are deleted as they are taken, not hidden"
        : undefined,
  },
];

/**
 * Refuses, as a bad flag (one line, exit 2), a flag given on the command
 * line that the chosen source or store would ignore: a user who gives
 * `-wkp` with a table, or `-qwt` with a bucket, expects it to do something.
 * A flag left at its default is not given, so scripts that pass none are
 * unaffected.
 */
export function assertNoIgnoredFlags(
  source: RequestSourceOptions,
  store: WidgetStoreOptions,
  flags: Readonly<Record<string, unknown>>,
  givenOnCommandLine: (key: string) => boolean,
): void {
  for (const situational of SITUATIONAL_FLAGS) {
    if (!givenOnCommandLine(situational.key)) continue;
    const because = situational.ignoredBecause(source, store);
    if (because !== undefined) {
      throw new CliError(
        `${situational.flag(flags[situational.key])} has no effect with ${because}; leave it out`,
        2,
      );
    }
  }
}
