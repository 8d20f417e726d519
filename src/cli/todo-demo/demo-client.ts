import { CliError } from "../cli-error.ts";

/** The todo app's JSON API, as the demo uses it; `stop` aborts every call. */
export class DemoClient {
  constructor(
    private readonly baseUrl: string,
    private readonly stop: AbortSignal,
  ) {}

  async addItems(userId: string, items: readonly Record<string, unknown>[]): Promise<number[]> {
    const added = await this.call<{ items: { id: number }[] }>(
      "POST",
      `/users/${userId}/items`,
      items,
    );
    return added.items.map((item) => item.id);
  }

  async tick(userId: string, itemId: number): Promise<void> {
    await this.call("PATCH", `/users/${userId}/items/${itemId}`, { done: true });
  }

  calendarStatus(userId: string): Promise<CalendarStatus> {
    return this.call("GET", `/users/${userId}/calendar`);
  }

  succeededJobs(): Promise<{ jobs: { result?: { userId?: string; version?: number } }[] }> {
    return this.call("GET", "/jobs?status=succeeded");
  }

  stats(): Promise<{ jobs: Record<string, number> }> {
    return this.call("GET", "/stats");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    let text: string;
    // A signal of its own, let go after the call: fetch frees its listener on
    // the signal it is given only when collected, and thousands of calls
    // would pile them up on `stop`.
    const call = new AbortController();
    const abort = () => call.abort(this.stop.reason);
    this.stop.addEventListener("abort", abort, { once: true });
    try {
      if (this.stop.aborted) abort();
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        signal: call.signal,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
      });
      text = await response.text();
    } catch (error) {
      if (this.stop.aborted) throw this.stop.reason;
      // "fetch failed" says nothing: its cause (ECONNREFUSED, a reset) does.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new CliError(
        `cannot reach the todo app (${method} ${path}): ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    } finally {
      this.stop.removeEventListener("abort", abort);
    }
    if (!response.ok) throw new CliError(`${method} ${path}: ${response.status} ${text.trim()}`);
    return JSON.parse(text) as T;
  }
}

export interface CalendarStatus {
  readonly version: number;
  readonly changedAt: number;
  readonly calendar: { readonly version: number; readonly renderedAt: number } | null;
  readonly upToDate: boolean;
}
