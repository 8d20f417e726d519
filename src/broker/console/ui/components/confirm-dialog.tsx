import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "./error-note.tsx";
import { ActionButton } from "./action-button.tsx";

/**
 * A modal that asks the user to type `word` before `action` runs (AWS types
 * the queue's name to delete it, "purge" to purge it). Errors stay in the
 * dialog, in place; Escape or Cancel closes it.
 */
export function ConfirmDialog(props: {
  title: string;
  word: string;
  actionLabel: string;
  children: ComponentChildren;
  action: () => Promise<void>;
  onClose: (done: boolean) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await props.action();
      dialog.current?.close();
      props.onClose(true);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="confirm-title"
      onClose={() => props.onClose(false)}
      class="confirm"
    >
      <form onSubmit={confirm}>
        <h2 id="confirm-title">{props.title}</h2>
        {props.children}
        <label for="confirm-word">
          To confirm, type <strong>{props.word}</strong>
        </label>
        <input
          id="confirm-word"
          autocomplete="off"
          value={typed}
          placeholder={props.word}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
        <ErrorNote error={error} evenUnreachable />
        <div class="buttons">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <ActionButton
            type="submit"
            class="danger"
            disabled={typed !== props.word}
            unavailable={busy}
          >
            {props.actionLabel}
          </ActionButton>
        </div>
      </form>
    </dialog>
  );
}
