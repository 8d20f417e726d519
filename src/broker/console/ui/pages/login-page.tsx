import { useState } from "preact/hooks";
import { ApiError } from "../api/api-error.ts";
import { callSqs } from "../api/sqs.ts";
import type { Credentials } from "../api/session.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Field } from "../components/field.tsx";
import { ActionButton } from "../components/action-button.tsx";

/**
 * Access keys for a broker with `--auth sigv4`. They are tried with one
 * signed ListQueues before they are kept, in session storage only.
 */
export function LoginPage({ onSignIn }: { onSignIn: (credentials: Credentials) => void }) {
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecret] = useState("");
  const [region, setRegion] = useState("us-east-1");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const credentials = { accessKeyId: accessKeyId.trim(), secretAccessKey, region: region.trim() };
    setBusy(true);
    setError(undefined);
    try {
      await callSqs("ListQueues", { MaxResults: 1 }, credentials);
      onSignIn(credentials);
    } catch (failure) {
      setError(signInError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1>Sign in</h1>
      <p>
        This broker verifies AWS Signature Version 4. Give one of its access keys; the console signs
        every request with it and keeps it in this tab's session storage only.
      </p>
      <form onSubmit={submit}>
        <Field id="login-key" label="Access key ID">
          <input
            id="login-key"
            autocomplete="username"
            required
            value={accessKeyId}
            onInput={(event) => setAccessKeyId(event.currentTarget.value)}
          />
        </Field>
        <Field id="login-secret" label="Secret access key">
          <input
            id="login-secret"
            type="password"
            autocomplete="current-password"
            required
            value={secretAccessKey}
            onInput={(event) => setSecret(event.currentTarget.value)}
          />
        </Field>
        <Field id="login-region" label="Region" hint="The region in the broker's queue ARNs.">
          <input
            id="login-region"
            required
            value={region}
            onInput={(event) => setRegion(event.currentTarget.value)}
          />
        </Field>
        <ErrorNote error={error} />
        <ActionButton type="submit" class="primary" unavailable={busy}>
          Sign in
        </ActionButton>
      </form>
    </section>
  );
}

/**
 * A refused sign-in in a person's words, keeping AWS's code: the broker's
 * SignatureDoesNotMatch also carries the canonical request it computed,
 * which is for SDK authors, not for someone who mistyped a secret.
 */
function signInError(failure: unknown): unknown {
  if (!(failure instanceof ApiError)) return failure;
  const words: Record<string, string> = {
    SignatureDoesNotMatch: "The secret access key does not match this access key ID.",
    InvalidClientTokenId: "The broker has no such access key ID.",
  };
  const message = words[failure.code];
  return message === undefined ? failure : new ApiError(failure.code, message, failure.status);
}
