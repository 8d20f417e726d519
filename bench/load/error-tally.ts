import type { WireResponse } from "./transport.ts";

/** Counts failures and keeps the first one, which is usually the only one worth reading. */
export class ErrorTally {
  count = 0;
  first: string | undefined;

  add(detail: string, times = 1): void {
    this.count += times;
    this.first ??= detail;
  }

  addResponse(response: WireResponse): void {
    this.add(`HTTP ${response.status}: ${response.body.slice(0, 300)}`);
  }

  addThrown(error: unknown): void {
    this.add(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}
