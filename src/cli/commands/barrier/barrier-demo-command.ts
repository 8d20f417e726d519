import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { counted } from "../../../apps/counted.ts";
import { AppError, stoppedExitCode } from "../../../apps/app-error.ts";
import { formatDemoReport, formatDemoSuccess } from "../../../apps/barrier/barrier-demo-report.ts";
import { runBarrierDemo } from "../../../apps/barrier/barrier-demo.ts";
import type { DemoRole } from "../../../apps/barrier/barrier-demo.ts";
import type { Broker } from "../../../broker/broker-options.ts";
import { createBroker } from "../../../broker/create-broker.ts";
import { CliError } from "../../cli-error.ts";
import { spawnMailroom } from "../../spawn-mailroom.ts";
import { stopOnSignals } from "../../stop-on-signals.ts";
import { commonOptions, positiveInteger, print, workOption } from "./barrier-flags.ts";
import type { DemoFlags } from "./barrier-flags.ts";

/**
 * Each participant is a Node.js process, and all start at once. Measured on
 * 2 cores: 50 and 64 ran to the end (38 s and 64 s for 2 rounds); at 100 the
 * starting processes kept the CPU so busy that none heard from the
 * coordinator within 30 s; at 1,000 the demo never ended. So the demo
 * refuses more than it can run rather than fail or hang.
 */
const PARTICIPANTS_PER_CORE = 25;

function maxDemoParticipants(): number {
  return PARTICIPANTS_PER_CORE * availableParallelism();
}

function demoParticipants(value: string): number {
  const count = positiveInteger("--participants")(value);
  const max = maxDemoParticipants();
  if (count > max) {
    throw new CliError(
      `--participants ${count} is more processes than this machine can start at once for the demo ` +
        `(at most ${max}: ${PARTICIPANTS_PER_CORE} per CPU core); for more, run ` +
        "`mailroom barrier coordinator` and `mailroom barrier participant` on several machines",
      2,
    );
  }
  return count;
}

/**
 * `mailroom barrier demo`: runs a coordinator and N participants as child
 * processes (on an in-process broker unless `--endpoint-url` is given) and
 * reports whether any phase 2 began before its round's last phase 1 ended.
 */
export function demoCommand(): Command {
  return commonOptions(new Command("demo"), "barrier-demo")
    .description(
      "run a coordinator and N participants as processes and check that no phase 2 starts early; without --endpoint-url on an in-process broker",
    )
    .addOption(
      new Option(
        "--participants <n>",
        `participant processes (at most ${PARTICIPANTS_PER_CORE} per CPU core: ${maxDemoParticipants()} here)`,
      )
        .default(5)
        .argParser(demoParticipants),
    )
    .addOption(
      new Option("--rounds <n>", "rounds").default(3).argParser(positiveInteger("--rounds")),
    )
    .addOption(workOption())
    .action(async (flags: DemoFlags) => {
      const stop = stopOnSignals();
      let broker: Broker | undefined;
      let endpoint = flags.endpointUrl;
      if (endpoint === undefined) {
        broker = createBroker({ inMemory: true, host: "127.0.0.1", port: 0 });
        endpoint = (await broker.listen()).endpoint;
      }
      print(
        `Barrier demo: ${counted(flags.participants, "participant")}, ${counted(flags.rounds, "round")}, barrier "${flags.barrier}" on ${broker ? `an in-process broker at ${endpoint}` : endpoint}`,
      );
      try {
        const outcome = await runBarrierDemo({
          participants: flags.participants,
          rounds: flags.rounds,
          stop: stop.signal,
          launch: (role, ids) =>
            spawnMailroom(
              ["barrier", ...roleArguments(role, ids, flags), ...childArguments(flags, endpoint)],
              { stdout: "pipe" },
            ),
        });
        if (stop.signal.aborted) {
          // Its processes were stopped on request: that is no failed check.
          const signal = String(stop.signal.reason);
          throw new CliError(
            `barrier demo stopped by ${signal} before its rounds ended; nothing was checked`,
            stoppedExitCode(signal),
          );
        }
        for (const line of formatDemoReport(outcome)) print(line);
        if (!outcome.ok) throw demoFailure(outcome);
        print(formatDemoSuccess(flags.rounds));
      } finally {
        stop.dispose();
        await broker?.close();
      }
    });
}

function roleArguments(role: DemoRole, ids: readonly string[], flags: DemoFlags): string[] {
  const rounds = ["--rounds", String(flags.rounds)];
  if (role.kind === "coordinator") return ["coordinator", "--ids", ids.join(","), ...rounds];
  const { minMs, maxMs } = flags.workMs;
  return ["participant", "--id", role.id, ...rounds, "--work-ms", `${minMs}-${maxMs}`];
}

function childArguments(flags: DemoFlags, endpoint: string): string[] {
  return [
    "--barrier",
    flags.barrier,
    "--timeout",
    `${flags.timeout}ms`,
    ...(flags.startTimeout === undefined ? [] : ["--start-timeout", `${flags.startTimeout}ms`]),
    "--log-level",
    flags.logLevel,
    "--log-format",
    flags.logFormat,
    "--endpoint-url",
    endpoint,
    "--region",
    flags.region,
    ...(flags.profile === undefined ? [] : ["--profile", flags.profile]),
  ];
}

function demoFailure(outcome: Awaited<ReturnType<typeof runBarrierDemo>>): AppError {
  const badRound = outcome.checks.find((check) => check.problem !== undefined);
  const failed = outcome.exits.filter((exit) => exit.code !== 0);
  if (failed.length > 0) {
    return new AppError(
      `barrier demo failed: ${failed.length} of ${outcome.exits.length} processes failed (${failed.map((exit) => exit.name).join(", ")})`,
    );
  }
  return new AppError(`barrier demo failed: round ${badRound?.round}: ${badRound?.problem}`);
}
