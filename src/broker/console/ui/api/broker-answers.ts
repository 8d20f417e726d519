import { BrokerUnreachable } from "./api-error.ts";
import { BROKER_STATE, brokerUnreachable, send } from "./transport.ts";

/**
 * Whether the broker answers now, asked with a GET of the page itself (no
 * API call, nothing changed). A broker that does not answer raises the
 * frame's banner, as any request of the page would.
 */
export async function brokerAnswersNow(): Promise<boolean> {
  return send("/", { method: "GET" }).then(
    () => true,
    (error: unknown) => !(error instanceof BrokerUnreachable),
  );
}

/** Resolves once one of the page's requests is answered again (the banner taken away), or on `signal`. */
export function brokerAnswersAgain(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      removeEventListener(BROKER_STATE, changed);
      resolve();
    };
    const changed = () => {
      if (!brokerUnreachable()) done();
    };
    addEventListener(BROKER_STATE, changed);
    signal.addEventListener("abort", done);
    changed();
  });
}
