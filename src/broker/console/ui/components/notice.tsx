/**
 * What an action did, said in place ("Tags saved."), as a status a screen
 * reader announces without moving the focus; nothing when there is nothing
 * to say. Failures go to ErrorNote, an alert.
 */
export function Notice({ text }: { text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
