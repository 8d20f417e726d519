import { Command, Option } from "commander";
import {
  createMakerServer,
  DEFAULT_MAKER_HOST,
  DEFAULT_MAKER_PORT,
} from "../../apps/maker/maker-server.ts";
import { WidgetRegistry } from "../../apps/maker/widget-registry.ts";
import { CliError } from "../cli-error.ts";
import { listenFailure, settingName } from "../setting-names.ts";
import { untilStopped } from "../stop-on-signals.ts";
import { logFormatOption, logLevelOption } from "../log-flags.ts";
import { createLogger } from "../logger.ts";
import type { LogFlags } from "../logger.ts";
import { portFlag, shareFlag } from "../parse-flags.ts";
import { counted } from "../../apps/counted.ts";

interface MakerFlags extends LogFlags {
  host: string;
  port: number;
  dataDir: string;
  failRate: number;
}

const DEFAULT_MAKER_DATA_DIR = "./.mailroom/maker";

/** `mailroom maker`: the widget maker web service, until SIGINT or SIGTERM. */
export function makerCommand(): Command {
  return new Command("maker")
    .description("run the widget maker web service (POST /widgets makes a widget)")
    .addOption(
      new Option("--host <host>", "interface to bind")
        .default(DEFAULT_MAKER_HOST)
        .env("MAILROOM_MAKER_HOST"),
    )
    .addOption(
      new Option("--port <port>", "TCP port (0 picks a free one)")
        .default(DEFAULT_MAKER_PORT)
        .env("MAILROOM_MAKER_PORT")
        .argParser(portFlag("--port")),
    )
    .addOption(
      new Option("--data-dir <dir>", "folder the widgets are kept in (one JSON file each)")
        .default(DEFAULT_MAKER_DATA_DIR)
        .env("MAILROOM_MAKER_DATA_DIR"),
    )
    .addOption(
      new Option(
        "--fail-rate <share>",
        "answer this share (0-1) of widget requests with 503, to watch the consumer retry",
      )
        .default(0)
        .argParser(shareFlag("--fail-rate")),
    )
    .addOption(logLevelOption())
    .addOption(logFormatOption())
    .action(async (flags: MakerFlags, command: Command) => runMaker(flags, command));
}

async function runMaker(flags: MakerFlags, command: Command): Promise<void> {
  const logger = createLogger("mailroom-maker", flags);
  const stopRequested = untilStopped();
  const registry = await WidgetRegistry.open(flags.dataDir).catch((error: unknown) => {
    if (error instanceof Error && "code" in error) {
      throw new CliError(`cannot use --data-dir ${flags.dataDir}: ${error.message}`);
    }
    throw error;
  });
  const server = createMakerServer({
    host: flags.host,
    port: flags.port,
    registry,
    logger,
    failRate: flags.failRate,
  });
  const { url } = await server.listen().catch((error: NodeJS.ErrnoException) => {
    throw listenFailure(error, { ...flags, setting: settingName(command, "port") });
  });
  process.stdout.write(`Widget maker listening on ${url}\n`);
  process.stdout.write(`  widgets: ${registry.location} (${registry.size} so far)\n`);

  const signal = await stopRequested;
  logger.info({ signal }, "shutting down");
  await server.close();
  process.stdout.write(`Widget maker stopped (${counted(registry.size, "widget")})\n`);
}
