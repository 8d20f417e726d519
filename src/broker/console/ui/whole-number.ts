/**
 * A form field's text as a whole number within `min` to `max`; anything
 * else (empty, "5s", "-", out of range) throws with a message to show in
 * place, rather than sending the API something the user did not ask for.
 */
export function wholeNumber(text: string, label: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value >= min && value <= max)) {
    throw new Error(`${label} must be a whole number from ${min} to ${max}, not "${text}".`);
  }
  return value;
}
