/**
 * A small, strict reader of Prometheus's text exposition format 0.0.4, for
 * tests: it throws on any line the format does not allow, on a sample of a
 * family with no `# TYPE`, and on a TYPE given twice, so a test that reads
 * `/metrics` through it also checks the format.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusFamily {
  type: "counter" | "gauge" | "summary" | "histogram" | "untyped";
  help: string | undefined;
}

export interface PrometheusText {
  families: Map<string, PrometheusFamily>;
  samples: PrometheusSample[];
  /** The value of the one sample with this name and these labels; throws if none. */
  value(name: string, labels: Record<string, string>): number;
}

/** A family as read so far: `typed` once its TYPE line was seen. */
type Declared = PrometheusFamily & { typed: boolean };

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const TYPES = new Set(["counter", "gauge", "summary", "histogram", "untyped"]);
const SAMPLE = new RegExp(`^(${NAME})(\\{.*\\})?[ \\t]+(\\S+)(?:[ \\t]+(-?[0-9]+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/;

export function parsePrometheusText(text: string): PrometheusText {
  if (text !== "" && !text.endsWith("\n")) throw new Error("the text must end with a line feed");
  const families = new Map<string, Declared>();
  const samples: PrometheusSample[] = [];
  const lines = text.split("\n").slice(0, -1);
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const [, keyword, name, rest] = /^#[ \t]+(\S+)[ \t]+(\S+)[ \t]*(.*)$/.exec(line) ?? [];
      if (keyword === "HELP") familyOf(name!).help = rest!.replace(/\\n/g, "\n");
      if (keyword === "TYPE") {
        if (!TYPES.has(rest!)) throw new Error(`${where}: unknown type`);
        const family = familyOf(name!);
        if (family.typed) throw new Error(`${where}: second TYPE for ${name}`);
        if (samples.some((s) => baseName(s.name, family.type) === name))
          throw new Error(`${where}: TYPE after the family's samples`);
        family.type = rest as PrometheusFamily["type"];
        family.typed = true;
      }
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`${where}: not a sample line`);
    const [, name, labelText, valueText] = match;
    const value = parseValue(valueText!);
    if (Number.isNaN(value) && valueText !== "NaN") throw new Error(`${where}: bad value`);
    const labels = parseLabels(labelText ?? "", where);
    const family = [...families.entries()].find(([f, d]) => baseName(name!, d.type) === f);
    if (!family?.[1].typed) throw new Error(`${where}: sample of a family with no TYPE`);
    samples.push({ name: name!, labels, value });
  });

  function familyOf(name: string): Declared {
    if (!new RegExp(`^${NAME}$`).test(name)) throw new Error(`bad metric name ${name}`);
    let family = families.get(name);
    if (!family) {
      family = { type: "untyped", help: undefined, typed: false };
      families.set(name, family);
    }
    return family;
  }

  return {
    families,
    samples,
    value(name, labels) {
      const found = samples.filter(
        (s) =>
          s.name === name &&
          Object.keys(labels).length === Object.keys(s.labels).length &&
          Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      );
      if (found.length !== 1) {
        throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
      }
      return found[0]!.value;
    },
  };
}

/** The family a sample belongs to: a summary's or histogram's `_sum`, `_count` and `_bucket` are its own. */
function baseName(sample: string, type: PrometheusFamily["type"]): string {
  if (type === "summary" || type === "histogram") {
    return sample.replace(/_(sum|count|bucket)$/, "");
  }
  return sample;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  return /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : NaN;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === "") return labels;
  let rest = text.slice(1, -1);
  while (rest !== "") {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`${where}: bad labels`);
    const [whole, key, raw, comma] = match;
    if (key! in labels) throw new Error(`${where}: label ${key} twice`);
    labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(whole.length);
    if (rest !== "" && comma !== ",") throw new Error(`${where}: labels not separated by commas`);
  }
  return labels;
}
