import { Option } from "commander";
import type { Command } from "commander";
import { DEFAULT_REGION } from "../apps/aws/aws-connection.ts";
import type { AwsConnection } from "../apps/aws/aws-connection.ts";
import { CliError } from "./cli-error.ts";

/** The flags every app command shares to say where AWS (or a compatible service) is. */
export interface AwsFlags {
  region: string;
  endpointUrl?: string;
  sqsEndpointUrl?: string;
  s3EndpointUrl?: string;
  dynamodbEndpointUrl?: string;
  profile?: string;
}

/** The services an app command may talk to, each with its own `--<service>-endpoint-url`. */
export type AwsService = "sqs" | "s3" | "dynamodb";

const SERVICE_NAMES: Record<AwsService, string> = { sqs: "SQS", s3: "S3", dynamodb: "DynamoDB" };

/**
 * Adds `--region/-r`, `--profile/-p` and `--endpoint-url` (with env
 * equivalents) to an app command, and a `--<service>-endpoint-url` for each
 * of `services` (default: all three; a command offers only those it uses).
 * Without `--endpoint-url` the apps talk to real AWS.
 */
export function addAwsOptions(
  command: Command,
  services: readonly AwsService[] = ["sqs", "s3", "dynamodb"],
): Command {
  command
    .addOption(
      new Option("-r, --region <region>", "AWS region")
        .default(process.env.AWS_REGION || DEFAULT_REGION)
        .env("MAILROOM_REGION")
        .argParser(parseRegion),
    )
    .addOption(new Option("-p, --profile <profile>", "AWS credentials profile"))
    .addOption(
      new Option(
        "--endpoint-url <url>",
        "send every AWS call to this endpoint (the local broker, or any compatible service)",
      )
        .env("MAILROOM_ENDPOINT_URL")
        .argParser(endpointUrlFlag("--endpoint-url")),
    );
  for (const service of services) command.addOption(serviceEndpointOption(service));
  return command;
}

function serviceEndpointOption(flag: AwsService): Option {
  return new Option(
    `--${flag}-endpoint-url <url>`,
    `endpoint for ${SERVICE_NAMES[flag]} only (over --endpoint-url)`,
  )
    .env(`MAILROOM_${flag.toUpperCase()}_ENDPOINT_URL`)
    .argParser(endpointUrlFlag(`--${flag}-endpoint-url`));
}

export function connectionFrom(flags: AwsFlags): AwsConnection {
  return {
    region: flags.region,
    ...(flags.endpointUrl === undefined ? {} : { endpointUrl: flags.endpointUrl }),
    serviceEndpoints: {
      ...(flags.sqsEndpointUrl === undefined ? {} : { sqs: flags.sqsEndpointUrl }),
      ...(flags.s3EndpointUrl === undefined ? {} : { s3: flags.s3EndpointUrl }),
      ...(flags.dynamodbEndpointUrl === undefined ? {} : { dynamodb: flags.dynamodbEndpointUrl }),
    },
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
  };
}

/** A flag parser for an http(s) URL, kept without its trailing slashes. */
function endpointUrlFlag(flag: string): (value: string) => string {
  return (value) => {
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      // reported below
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new CliError(
        `${flag} must be an http(s) URL such as http://127.0.0.1:9324, got "${value}"`,
        2,
      );
    }
    return value.replace(/\/+$/, "");
  };
}

/** A region name such as us-east-1 (any the local broker is given is fine; AWS knows its own). */
export function parseRegion(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(value)) {
    throw new CliError(`--region must name a region, such as us-east-1; got "${value}"`, 2);
  }
  return value;
}
