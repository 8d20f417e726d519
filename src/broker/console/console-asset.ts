/** One file the console serves. */
export interface ConsoleAsset {
  /** File name, served at `/<name>`. */
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** Named by its content hash, so browsers may keep it forever. */
  readonly immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return CONTENT_TYPES[dot < 0 ? "" : name.slice(dot)] ?? "application/octet-stream";
}
