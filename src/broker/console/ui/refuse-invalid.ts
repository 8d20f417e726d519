/**
 * Whether a form must stop for `problems`; when it must, the first field
 * marked invalid takes the focus once drawn, so a keyboard or screen
 * reader user lands on what to correct.
 */
export function refuseInvalid(problems: object, form?: Element): boolean {
  if (Object.keys(problems).length === 0) return false;
  // Given its form, the focus stays in it: another form of the page may still show a refusal.
  requestAnimationFrame(() =>
    (form ?? document)
      .querySelector<HTMLElement>(form ? '[aria-invalid="true"]' : 'form [aria-invalid="true"]')
      ?.focus(),
  );
  return true;
}
