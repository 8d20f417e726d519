import { Command, Option } from "commander";
import { stoppedExitCode } from "../../apps/app-error.ts";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { createSqsClient } from "../../apps/aws/sqs-client.ts";
import { DeliveryTally } from "../../apps/queue-practical/delivery-tally.ts";
import type { ClientTally } from "../../apps/queue-practical/delivery-tally.ts";
import {
  connectToQueue,
  requireContentBasedDeduplication,
} from "../../apps/queue-practical/practical-queue.ts";
import { clientLabel, formatReceivedLine } from "../../apps/queue-practical/received-line.ts";
import { receivePracticalMessages } from "../../apps/queue-practical/receiver.ts";
import type { ReceiveResult } from "../../apps/queue-practical/receiver.ts";
import { createSendProgress } from "../../apps/queue-practical/send-progress.ts";
import { sendPracticalMessages } from "../../apps/queue-practical/sender.ts";
import { addAwsOptions, connectionFrom } from "../aws-flags.ts";
import type { AwsFlags } from "../aws-flags.ts";
import { emptyValueAllowed } from "../flag-values.ts";
import { durationFlag, nonEmptyFlag, wholeNumberFlag } from "../parse-flags.ts";
import { stopOnSignals } from "../stop-on-signals.ts";
import { requireRole } from "../subcommand-usage.ts";

interface SendFlags extends AwsFlags {
  name: string;
  clientName: string;
  prepend: string;
  count: number;
}

interface ReceiveFlags extends AwsFlags {
  name: string;
  clientName?: string;
  count?: number;
  idleTimeout?: number;
  summary?: boolean;
}

/**
 * `mailroom queue send|receive`: the CSSE6400 queue practical's publisher and
 * subscriber, to watch a standard queue reorder and duplicate while a FIFO
 * queue keeps order and drops repeated bodies.
 */
export function queueCommand(): Command {
  return requireRole(
    new Command("queue")
      .description(
        "the queue practical: send numbered messages to a queue, or receive and print them",
      )
      .addCommand(sendCommand())
      .addCommand(receiveCommand()),
  );
}

function sendCommand(): Command {
  const command = new Command("send")
    .description('send "{prepend}Message {i}" for i = 0..count-1, tagged with the client name')
    .addOption(
      new Option("--name <name>", "queue name or URL")
        .makeOptionMandatory()
        .argParser(nonEmptyFlag("--name")),
    )
    .addOption(
      new Option("--client-name <name>", 'sent as the String message attribute "client"')
        .makeOptionMandatory()
        .argParser(nonEmptyFlag("--client-name")),
    )
    .addOption(
      emptyValueAllowed(new Option("--prepend <text>", "put before every body").default("")),
    )
    .addOption(
      new Option("--count <n>", "how many messages to send")
        .default(100)
        .argParser(wholeNumberFlag("--count", { min: 1, max: 10_000_000 })),
    )
    .action(async (flags: SendFlags) => withSqs(flags, (sqs) => runSend(sqs, flags)));
  return addAwsOptions(command);
}

function receiveCommand(): Command {
  const command = new Command("receive")
    .description("print and delete messages until Ctrl-C (or --count / --idle-timeout)")
    .addOption(
      new Option("--name <name>", "queue name or URL")
        .makeOptionMandatory()
        .argParser(nonEmptyFlag("--name")),
    )
    .option("--client-name <name>", "a label for this receiver, shown when it starts")
    .addOption(
      new Option("--count <n>", "stop after this many messages (default: no limit)").argParser(
        wholeNumberFlag("--count", { min: 1 }),
      ),
    )
    .addOption(
      new Option(
        "--idle-timeout <seconds>",
        "stop once nothing has arrived for this many seconds (default: never)",
      ).argParser(durationFlag("--idle-timeout", { unit: "s", minMs: 1 })),
    )
    .option("--summary", "at the end, count messages received, out of order and duplicated")
    .action(async (flags: ReceiveFlags) => withSqs(flags, (sqs) => runReceive(sqs, flags)));
  return addAwsOptions(command);
}

async function withSqs(flags: AwsFlags, run: (sqs: SQSClient) => Promise<void>): Promise<void> {
  const sqs = createSqsClient(connectionFrom(flags));
  try {
    await run(sqs);
  } finally {
    sqs.destroy();
  }
}

async function runSend(sqs: SQSClient, flags: SendFlags): Promise<void> {
  const queue = await connectToQueue(sqs, flags.name);
  print(`Connected to ${queue.name}`);
  if (queue.fifo) await requireContentBasedDeduplication(sqs, queue);
  const progress = createSendProgress(process.stdout, flags.count);
  let stopSignal: string | undefined;
  const stop = stopOnSignals((signal) => (stopSignal = signal));
  let result;
  try {
    result = await sendPracticalMessages({
      sqs,
      queue,
      clientName: flags.clientName,
      prepend: flags.prepend,
      count: flags.count,
      onProgress: (sent) => progress.update(sent),
      signal: stop.signal,
    });
  } finally {
    stop.dispose();
    progress.stop();
  }
  const sent = `${messages(result.sent)} to ${queue.name} in ${result.elapsedMs} ms`;
  // A signal during the last batch stopped nothing.
  if (stopSignal === undefined || result.sent === flags.count) {
    print(`Sent ${sent}`);
  } else {
    print(`Stopped (${stopSignal}): sent ${sent}, of ${flags.count} asked for`);
    process.exitCode = stoppedExitCode(stopSignal);
  }
  if (queue.fifo) {
    const prepend = flags.prepend === "" ? "--prepend" : "another --prepend";
    print(
      `(FIFO: a body already sent in the last 5 minutes is accepted but not delivered again; use ${prepend} to send new bodies)`,
    );
  }
}

async function runReceive(sqs: SQSClient, flags: ReceiveFlags): Promise<void> {
  const queue = await connectToQueue(sqs, flags.name);
  print(`Connected to ${queue.name}`);
  print(
    flags.clientName === undefined
      ? "Waiting for messages..."
      : `Waiting for messages... (receiver: ${flags.clientName})`,
  );

  // The first Ctrl-C or SIGTERM stops after the batch in hand is printed and
  // deleted; a second one exits at once.
  let stopSignal: string | undefined;
  const stop = stopOnSignals((signal) => (stopSignal = signal));

  // Only a --summary needs the tally, which keeps every body seen: a receiver may run for days.
  const tally = flags.summary ? new DeliveryTally() : undefined;
  let result: ReceiveResult;
  try {
    result = await receivePracticalMessages({
      sqs,
      queue,
      signal: stop.signal,
      ...(flags.count === undefined ? {} : { maxMessages: flags.count }),
      ...(flags.idleTimeout === undefined ? {} : { idleTimeoutMs: flags.idleTimeout }),
      onMessage({ client, body }) {
        tally?.record(client, body);
        print(formatReceivedLine(new Date(), client, body));
      },
      onWarning: (line) => process.stderr.write(`mailroom: warning: ${line}\n`),
    });
  } catch (error) {
    // What was received before the failure (a broker gone) is still worth its summary.
    if (tally !== undefined) printSummary(tally);
    throw error;
  } finally {
    stop.dispose();
  }

  const stopped = {
    count: `Stopped after ${messages(result.received)}`,
    idle: `Stopped: nothing received for ${(flags.idleTimeout ?? 0) / 1000} s`,
    signal: `Stopped (${stopSignal ?? "aborted"})`,
  };
  print(stopped[result.stoppedBy]);
  if (tally !== undefined) printSummary(tally);
}

function printSummary(tally: DeliveryTally): void {
  const summary = tally.summary();
  print(`Summary: ${describeTally(summary)}`);
  for (const client of summary.clients) {
    print(`  ${clientLabel(client.client)}: ${describeTally(client)}`);
  }
}

function describeTally(tally: Omit<ClientTally, "client">): string {
  const duplicates = `${tally.duplicates} duplicate${tally.duplicates === 1 ? "" : "s"}`;
  return `${tally.received} received, ${tally.outOfOrder} out of order, ${duplicates}`;
}

function messages(count: number): string {
  return `${count} message${count === 1 ? "" : "s"}`;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
