import { useLayoutEffect, useRef } from "preact/hooks";
import type { RefObject } from "preact";

/**
 * When `shown` changes (not when first drawn) and the element that had the
 * focus is gone with it (a button replaced by another, a row's button
 * removed), the focus goes to `target` rather than to the page's body,
 * where a keyboard user would start again from the top (WCAG 2.4.3). A
 * target that is not a control (a status line) is made focusable by script only.
 * A focus the change did not take away is left alone: one on the body (a
 * click on the page's text) stays there, or the page would scroll to `target`.
 */
export function useFocusRescue(target: RefObject<HTMLElement | null>, shown: unknown): void {
  const before = useRef(shown);
  // Read while rendering, before this render changes the page.
  const focusedBefore = document.activeElement;
  useLayoutEffect(() => {
    if (before.current === shown) return;
    before.current = shown;
    const element = target.current;
    const takenAway =
      focusedBefore !== null && focusedBefore !== document.body && !focusedBefore.isConnected;
    if (element === null || !takenAway || document.activeElement !== document.body) return;
    if (!element.matches("button, a[href], input, select, textarea")) element.tabIndex = -1;
    element.focus();
  }, [shown]);
}
