import type { Widget } from "../../widgets/widget.ts";
import type { WidgetState } from "../../widgets/widget-state.ts";

/** Enough to find a widget in any store (S3 keys may include the owner). */
export interface WidgetRef {
  readonly id: string;
  readonly owner: string;
}

/**
 * Decides a widget's next state from its current one; `undefined` leaves it
 * as it is. Must be pure: a store may call it again with a newer state when
 * another consumer changed the widget meanwhile.
 */
export type WidgetChange = (current: WidgetState) => WidgetState | undefined;

/**
 * Where widgets go: an S3 bucket, a DynamoDB table or a local folder. Beside
 * each widget, exactly as the course stores it, the store keeps the widget's
 * state (`widgets/widget-state.ts`): what lets requests be applied in any
 * order and any number of times, by any number of consumers at once.
 */
export interface WidgetStore {
  /** Name used in log lines: `Processing a CREATE request into ${kind} for <id>`. */
  readonly kind: string;
  /** Where the widgets are, for people: `s3://bucket/widgets/`, a folder path, a table name. */
  readonly location: string;
  /**
   * Applies `change` to the widget's state so that no concurrent change of
   * the same widget, from any process, is lost, then makes the stored widget
   * match the new state (written, rewritten under a new owner's key, or
   * removed). With no state recorded yet, `current` starts from the widget
   * found at `ref` (written by another program), or from nothing. A process
   * killed half way leaves no state the next attempt cannot finish.
   */
  update(ref: WidgetRef, change: WidgetChange): Promise<void>;
  /** The widget as stored (what readers of the course's store see); `undefined` when absent. */
  read(ref: WidgetRef): Promise<Widget | undefined>;
  /** Every widget in the store, in no particular order (summaries and tests). */
  list(): AsyncIterable<Widget>;
  close(): Promise<void>;
}
