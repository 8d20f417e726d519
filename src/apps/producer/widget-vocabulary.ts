import type { SeededRandom } from "./seeded-random.ts";

/** Owners: the four of the course's samples first, then a few more so keys spread wider. */
export const OWNERS: readonly string[] = [
  "Mary Matthews",
  "John Jones",
  "Sue Smith",
  "Henry Hops",
  "Alice Adams",
  "Bob Brown",
  "Carla Cruz",
  "Dan Dorsey",
];

/**
 * The other-attribute names seen in the samples, in the order the samples list
 * them (generated requests keep that order too).
 */
export const ATTRIBUTE_NAMES: readonly string[] = [
  "color",
  "size",
  "size-unit",
  "height",
  "height-unit",
  "width",
  "width-unit",
  "length",
  "length-unit",
  "rating",
  "price",
  "quantity",
  "vendor",
  "note",
];

const COLORS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black"];
const UNITS = ["cm", "cm", "cm", "mm", "in"];

/** A string of random capitals, like the samples' labels, descriptions, vendors and notes. */
export function capitals(random: SeededRandom, minLength: number, maxLength: number): string {
  const length = random.int(minLength, maxLength);
  let text = "";
  for (let i = 0; i < length; i += 1) text += String.fromCharCode(65 + random.int(0, 25));
  return text;
}

/** A plausible value for one of ATTRIBUTE_NAMES, shaped like the samples' values (never empty). */
export function attributeValue(random: SeededRandom, name: string): string {
  if (name === "color") return random.pick(COLORS);
  if (name.endsWith("-unit")) return random.pick(UNITS);
  switch (name) {
    case "size":
    case "height":
    case "width":
    case "length":
    case "quantity":
      return String(random.int(1, 999));
    // Samples: "2.580677", "0.39863378": below 5 with up to eight decimals.
    case "rating":
      return String(random.int(1_000_000, 499_999_999) / 1e8);
    case "price":
      return (random.int(100, 9999) / 100).toFixed(2);
    case "vendor":
      return capitals(random, 1, 14);
    case "note":
      return capitals(random, 10, 400);
    default:
      return capitals(random, 1, 20);
  }
}
