import type { ComponentChildren } from "preact";

/**
 * A table's own horizontal scroll: in a narrow window the table scrolls
 * inside this box instead of widening the whole page. Focusable, so the
 * keyboard can scroll it too.
 */
export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll-box" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
