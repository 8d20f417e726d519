import type { ComponentChildren } from "preact";

/**
 * A labelled control with an optional hint below it, and what is wrong
 * with its value when the form refused it. The control names them in its
 * aria-describedby (`<id>-hint`, `<id>-error`), as `describedBy` gives.
 */
export function Field(props: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint === undefined ? null : (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
      {props.error === undefined ? null : (
        <small id={`${props.id}-error`} class="field-error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

/** The aria-describedby of a Field's control: its hint, if it has one, and its error, if any. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string {
  return [hint ? `${id}-hint` : "", error === undefined ? "" : `${id}-error`]
    .filter((part) => part !== "")
    .join(" ");
}
