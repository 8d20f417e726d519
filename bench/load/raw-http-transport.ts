import { Buffer } from "node:buffer";
import { connect } from "node:net";
import type { Socket } from "node:net";
import type { WireHeaders } from "./sqs-wire.ts";
import type { Transport, WireResponse } from "./transport.ts";

interface Waiter {
  resolve(response: WireResponse): void;
  reject(error: Error): void;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * One keep-alive HTTP/1.1 connection that carries one request at a time. It
 * understands just what the servers here answer with: a status line,
 * Content-Length or chunked bodies, and `Connection: close`.
 */
class RawConnection {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiter: Waiter | undefined;
  #closed = false;

  constructor(host: string, port: number) {
    this.#socket = connect({ host, port, noDelay: true });
    this.#socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on("error", (error) => this.#fail(error));
    this.#socket.on("close", () => this.#fail(new Error("connection closed by the server")));
  }

  get usable(): boolean {
    return !this.#closed;
  }

  send(request: string, waiter: Waiter): void {
    this.#waiter = waiter;
    this.#socket.write(request);
  }

  destroy(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headerEnd = this.#buffer.indexOf(HEADER_END);
    if (headerEnd < 0 || this.#waiter === undefined) return;
    const head = this.#buffer.toString("latin1", 0, headerEnd);
    const bodyStart = headerEnd + 4;
    const status = Number(head.slice(9, 12));
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: Buffer;
    let consumed: number;
    if (lengthMatch !== null) {
      const length = Number(lengthMatch[1]);
      if (this.#buffer.length < bodyStart + length) return;
      body = this.#buffer.subarray(bodyStart, bodyStart + length);
      consumed = bodyStart + length;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const decoded = decodeChunked(this.#buffer, bodyStart);
      if (decoded === undefined) return;
      [body, consumed] = decoded;
    } else {
      this.#fail(new Error(`response without a length: ${head.slice(0, 200)}`));
      this.#socket.destroy();
      return;
    }
    this.#buffer = this.#buffer.subarray(consumed);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (/\r\nconnection:\s*close/i.test(head)) this.destroy();
    waiter.resolve({ status, body: body.toString("utf8") });
  }
}

/** The body of a complete chunked message and the bytes it used, or undefined until all arrived. */
function decodeChunked(buffer: Buffer, start: number): [Buffer, number] | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString("latin1", at, lineEnd), 16);
    const dataStart = lineEnd + 2;
    if (size === 0) {
      // No trailers from these servers: the final chunk is "0\r\n\r\n".
      if (buffer.length < dataStart + 2) return undefined;
      return [Buffer.concat(parts), dataStart + 2];
    }
    if (buffer.length < dataStart + size + 2) return undefined;
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}

/**
 * A hand-rolled HTTP/1.1 client over node:net, for measuring how much of the
 * ceiling is the generator's own cost: it spends a fraction of undici's CPU
 * per request. Not the default, because it only speaks the subset of HTTP
 * above (`--client raw`).
 */
export class RawHttpTransport implements Transport {
  readonly #host: string;
  readonly #port: number;
  readonly #limit: number;
  readonly #idle: RawConnection[] = [];
  readonly #queue: (() => void)[] = [];
  readonly #heads = new WeakMap<WireHeaders, string>();
  #open = 0;

  constructor(origin: string, connections: number) {
    const url = new URL(origin);
    this.#host = url.hostname;
    this.#port = Number(url.port);
    this.#limit = connections;
  }

  async post(headers: WireHeaders, body: string): Promise<WireResponse> {
    const connection = await this.#acquire();
    try {
      return await new Promise<WireResponse>((resolve, reject) =>
        connection.send(`${this.#head(headers)}${Buffer.byteLength(body)}\r\n\r\n${body}`, {
          resolve,
          reject,
        }),
      );
    } finally {
      this.#release(connection);
    }
  }

  async close(): Promise<void> {
    for (const connection of this.#idle.splice(0)) connection.destroy();
  }

  /**
   * Request line and headers up to the Content-Length value, built once per
   * header set; signed requests carry a header set of their own each, so
   * theirs are not kept.
   */
  #head(headers: WireHeaders): string {
    let head = this.#heads.get(headers);
    if (head === undefined) {
      head = `POST / HTTP/1.1\r\nhost: ${this.#host}:${this.#port}\r\n`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
      head += "content-length: ";
      if (headers.authorization === undefined) this.#heads.set(headers, head);
    }
    return head;
  }

  #acquire(): Promise<RawConnection> {
    const idle = this.#idle.pop();
    if (idle !== undefined && idle.usable) return Promise.resolve(idle);
    if (idle !== undefined) this.#open--;
    if (this.#open < this.#limit) {
      this.#open++;
      return Promise.resolve(new RawConnection(this.#host, this.#port));
    }
    return new Promise((resolve) => this.#queue.push(() => resolve(this.#acquire())));
  }

  #release(connection: RawConnection): void {
    if (connection.usable) this.#idle.push(connection);
    else this.#open--;
    this.#queue.shift()?.();
  }
}
