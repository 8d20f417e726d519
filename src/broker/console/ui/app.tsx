import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { unreachableMessage } from "./api/api-error.ts";
import { storeCredentials, storedCredentials } from "./api/session.ts";
import type { Credentials } from "./api/session.ts";
import {
  AUTH_REQUIRED,
  BROKER_STATE,
  brokerUnreachable,
  credentialsRefused,
} from "./api/transport.ts";
import { CreateQueuePage } from "./pages/create-queue-page.tsx";
import { LoginPage } from "./pages/login-page.tsx";
import { QueuePage } from "./pages/queue-page.tsx";
import { QueuesPage } from "./pages/queues-page.tsx";
import { SendReceivePage } from "./pages/send-receive-page.tsx";
import { pageOf, titleOf, useRoute } from "./router.ts";
import type { Route } from "./router.ts";

/**
 * The console's frame. Pages call the broker at once; a broker with `--auth
 * sigv4` answers MissingAuthenticationToken (or a bad signature's error),
 * and the frame then asks for access keys before anything else is shown.
 */
export function App() {
  const route = useRoute();
  const [credentials, setCredentials] = useState<Credentials | undefined>(storedCredentials);
  const [needsLogin, setNeedsLogin] = useState(credentialsRefused);
  const [unreachable, setUnreachable] = useState(brokerUnreachable);

  useEffect(() => {
    const ask = () => setNeedsLogin(true);
    addEventListener(AUTH_REQUIRED, ask);
    // A request started before this listener (the Queues page's early load) may have been refused.
    if (credentialsRefused()) ask();
    return () => removeEventListener(AUTH_REQUIRED, ask);
  }, []);

  useEffect(() => {
    const changed = () => setUnreachable(brokerUnreachable());
    addEventListener(BROKER_STATE, changed);
    changed();
    return () => removeEventListener(BROKER_STATE, changed);
  }, []);

  // Layout effects run in the render's own task: the title and the focus
  // change with the page, never a moment after its heading is shown.
  useLayoutEffect(() => {
    document.title = needsLogin ? "Sign in · Mailroom console" : titleOf(route);
  }, [route, needsLogin]);

  // On a new page (not at the first, nor between a queue's tabs), the focus
  // goes to its heading, as a page load would put it at the top: a screen
  // reader reads where it landed, and Tab goes on from there.
  const shownPage = useRef<string | undefined>(undefined);
  const page = needsLogin ? "sign-in" : pageOf(route);
  useLayoutEffect(() => {
    const first = shownPage.current === undefined;
    shownPage.current = page;
    if (first) return;
    const heading = document.querySelector<HTMLElement>("main h1");
    if (heading === null) return;
    heading.tabIndex = -1;
    heading.focus();
  }, [page]);

  const signIn = (given: Credentials) => {
    storeCredentials(given);
    setCredentials(given);
    setNeedsLogin(false);
  };
  const signOut = () => {
    storeCredentials(undefined);
    setCredentials(undefined);
    setNeedsLogin(true);
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
        {credentials === undefined || needsLogin ? null : (
          <span class="who">
            {credentials.accessKeyId}{" "}
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      {unreachable ? (
        <p class="error unreachable" role="alert">
          {unreachableMessage(location.origin)}
        </p>
      ) : null}
      <main id="main">
        {needsLogin ? (
          <LoginPage onSignIn={signIn} />
        ) : (
          <Page key={credentials?.accessKeyId ?? ""} route={route} />
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
