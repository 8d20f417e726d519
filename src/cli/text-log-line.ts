/**
 * One pino JSON line as a person at a terminal reads it:
 * `14:03:07.123 Processing a CREATE request into DynamoDB for 8f2c...`, the
 * time local, `warning:` or `error:` before the message of a warning or an
 * error, and the message (not the stack) of an `err` after it. The other
 * fields are left out: they are there for whoever reads the JSON.
 */
export function textLogLine(json: string): string {
  let entry: LogEntry;
  try {
    entry = JSON.parse(json) as LogEntry;
  } catch {
    // Not pino's: passed on as it came rather than lost.
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const error = errorMessage(entry.err);
  const message = error === undefined ? (entry.msg ?? "") : `${entry.msg ?? ""}: ${error}`;
  return `${clockTime(entry.time)} ${levelPrefix(entry.level)}${oneLine(message)}\n`;
}

/** The fields of pino's line this format reads (pino's defaults: epoch ms, numeric levels). */
interface LogEntry {
  time?: number;
  level?: number;
  msg?: string;
  err?: unknown;
}

const WARN = 40;
const ERROR = 50;

function levelPrefix(level = 0): string {
  if (level >= ERROR) return "error: ";
  if (level >= WARN) return "warning: ";
  return "";
}

/** HH:MM:SS.mmm in local time: a terminal is read as it runs, within the day. */
function clockTime(time = Date.now()): string {
  const at = new Date(time);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, "0")}`;
}

/** pino's error serializer gives `{type, message, stack}`; a message can span lines, the log line does not. */
function errorMessage(err: unknown): string | undefined {
  const message =
    typeof err === "string"
      ? err
      : typeof err === "object" && err !== null && "message" in err
        ? String(err.message)
        : undefined;
  return message === undefined || message === "" ? undefined : message.replace(/\s*\n\s*/g, " ");
}

/**
 * A message names what it got (a widget id from a request, say), which may
 * hold a line break: escaped as JSON writes it, the entry stays one line.
 */
function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return message.replace(/[\u0000-\u001f\u007f]/g, (char) => JSON.stringify(char).slice(1, -1));
}
