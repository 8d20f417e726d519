import { parse as parseYaml } from "yaml";

/**
 * The data of a configuration file: JSON when `source` ends in `.json`, else
 * YAML. A syntax error becomes one line, `<source>: not valid YAML: <what,
 * where>`, made into the caller's error type by `fail`.
 */
export function parseConfigText(
  text: string,
  source: string,
  fail: (message: string) => Error,
): unknown {
  const json = source.endsWith(".json");
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    // The YAML parser's first line ends with a colon before its excerpt of the file.
    const reason = (error as Error).message.split("\n", 1)[0]!.replace(/:\s*$/, "");
    throw fail(`${source}: not valid ${json ? "JSON" : "YAML"}: ${reason}`);
  }
}
