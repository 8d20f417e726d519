import type { ButtonHTMLAttributes } from "preact";

/**
 * A button that cannot act now (a request on its way, nothing selected)
 * yet keeps the keyboard's focus: `aria-disabled` and its clicks ignored,
 * where `disabled` would drop the focus to the page's body (WCAG 2.4.3), so
 * a keyboard or screen reader user starts again from the page's top.
 * A submit button ignores its click too, which also stops Enter in a field
 * from submitting the form.
 */
export function ActionButton({
  unavailable,
  onClick,
  ...button
}: ButtonHTMLAttributes<HTMLButtonElement> & { unavailable: boolean }) {
  return (
    <button
      {...button}
      aria-disabled={unavailable ? "true" : undefined}
      onClick={(event) => {
        if (unavailable) return event.preventDefault();
        onClick?.call(event.currentTarget, event);
      }}
    />
  );
}
