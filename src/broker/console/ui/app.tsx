import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api/api-error.ts";
import { storeCredentials, storedCredentials } from "./api/session.ts";
import type { Credentials } from "./api/session.ts";
import { callSqs } from "./api/sqs.ts";
import { ErrorNote } from "./components/error-note.tsx";
import { CreateQueuePage } from "./pages/create-queue-page.tsx";
import { LoginPage } from "./pages/login-page.tsx";
import { QueuePage } from "./pages/queue-page.tsx";
import { QueuesPage } from "./pages/queues-page.tsx";
import { SendReceivePage } from "./pages/send-receive-page.tsx";
import { useRoute } from "./router.ts";
import type { Route } from "./router.ts";

type Access =
  { state: "checking" } | { state: "in" } | { state: "login" } | { state: "down"; error: unknown };

/**
 * The console's frame. It first asks the broker for one queue: a broker
 * with `--auth sigv4` answers MissingAuthenticationToken to an unsigned
 * request, and the console then asks for access keys before anything else.
 */
export function App() {
  const route = useRoute();
  const [access, setAccess] = useState<Access>({ state: "checking" });
  const [credentials, setCredentials] = useState<Credentials | undefined>(storedCredentials);

  useEffect(() => {
    callSqs("ListQueues", { MaxResults: 1 }).then(
      () => setAccess({ state: "in" }),
      (error: unknown) =>
        setAccess(
          error instanceof ApiError && error.needsCredentials
            ? { state: "login" }
            : { state: "down", error },
        ),
    );
  }, [credentials]);

  const signIn = (given: Credentials) => {
    storeCredentials(given);
    setCredentials(given);
  };
  const signOut = () => {
    storeCredentials(undefined);
    setCredentials(undefined);
  };

  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          Mailroom
        </a>
        <nav aria-label="Main">
          <a href="#/">Queues</a>
        </nav>
        {credentials === undefined ? null : (
          <span class="who">
            {credentials.accessKeyId}{" "}
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main id="main">
        {access.state === "checking" ? (
          <p aria-busy="true">Connecting to the broker…</p>
        ) : access.state === "login" ? (
          <LoginPage onSignIn={signIn} />
        ) : access.state === "down" ? (
          <ErrorNote error={access.error} />
        ) : (
          <Page route={route} />
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "queues":
      return <QueuesPage />;
    case "create":
      return <CreateQueuePage />;
    case "queue":
      return <QueuePage key={route.name} name={route.name} tab={route.tab} />;
    case "send":
      return <SendReceivePage key={route.name} name={route.name} />;
  }
}
