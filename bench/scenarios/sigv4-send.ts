import { singleSendScenario } from "./single-send.ts";
import type { ScenarioVariant } from "./scenario.ts";

/** fauxqs checks no signatures, so it has nothing to measure in either. */
const MAILROOM_ONLY: ScenarioVariant["onlyFor"] = {
  targets: ["mailroom"],
  reason: "fauxqs 1.9.2 checks no signatures",
};

/**
 * `send`, every request signed with SigV4, against an open Mailroom (which
 * reads no signature): what signing costs the generator and the wire, with
 * nothing checked. Beside `sigv4-send` it leaves what checking costs the
 * broker alone, on a host where the two share the cores.
 */
export const sigv4UncheckedSend = singleSendScenario({
  name: "sigv4-unchecked-send",
  title: "SigV4-signed SendMessage (single), not checked",
  signed: "unchecked",
  twins: ["send"],
  onlyFor: MAILROOM_ONLY,
});

/**
 * `send`, every request signed with SigV4, against a Mailroom started with
 * `--auth sigv4` and the bench key in its environment: what signing and
 * verifying a signature cost per request, against `send` (the issue's
 * target) and against `sigv4-unchecked-send` (the verifying alone).
 */
export const sigv4Send = singleSendScenario({
  name: "sigv4-send",
  title: "SigV4-signed SendMessage (single)",
  signed: "checked",
  twins: ["send", "sigv4-unchecked-send"],
  onlyFor: MAILROOM_ONLY,
});
