import { singleSendScenario } from "./single-send.ts";

/**
 * `send`, every request signed with SigV4, against a Mailroom started with
 * `--auth sigv4` and the bench key in its environment: what verifying a
 * signature costs the broker per request. fauxqs verifies no signatures, so
 * it has nothing to measure here.
 */
export const sigv4Send = singleSendScenario({
  name: "sigv4-send",
  title: "SigV4-signed SendMessage (single)",
  signed: true,
  twin: "send",
  onlyFor: { targets: ["mailroom"], reason: "fauxqs 1.9.2 checks no signatures" },
});
