/**
 * Sets one entry of a map whose keys a client chose. A client's key is data:
 * `out["__proto__"] = value` would replace the object's prototype instead
 * of adding an entry, so that key is defined as an own property.
 */
export function setMapEntry(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(map, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    map[key] = value;
  }
}
