import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A web app as a library: `listen()` to serve, `close()` to stop. */
export interface HttpService {
  /** Starts serving; resolves with the base URL, e.g. `http://127.0.0.1:8080` (loopback when bound to every interface). */
  listen(): Promise<{ readonly url: string; readonly port: number }>;
  /**
   * Stops accepting connections and resolves once the requests in progress
   * are answered; any connection still open after `graceMs` (default 5 s),
   * such as a client still sending its request, is closed, so none can hold
   * a stop up for minutes.
   */
  close(graceMs?: number): Promise<void>;
}

/** `listen()` and `close()` for a `node:http` server on `host:port` (port 0: any free one). */
export function httpService(server: Server, host: string, port: number): HttpService {
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const { address, port: bound } = server.address() as AddressInfo;
          // Bound to every interface: loopback is what a browser on this machine can open.
          const shown =
            address === "0.0.0.0"
              ? "127.0.0.1"
              : address === "::"
                ? "[::1]"
                : address.includes(":")
                  ? `[${address}]`
                  : address;
          resolve({ url: `http://${shown}:${bound}`, port: bound });
        });
      }),
    close: (graceMs = 5_000) =>
      new Promise((resolve, reject) => {
        const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
        // close() waits for requests in progress; idle keep-alive sockets must not hold it open.
        server.close((error) => {
          clearTimeout(cutOff);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** A request body over the limit: answer 413 and close the connection. */
export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
}

/**
 * Reads and drops what is left of a request's body, up to `maxBytes` or
 * `maxMs`, whichever comes first. A server that closes a connection while
 * the client is still sending makes the kernel reset it, and the reset
 * throws away the answer the client has not read yet (curl: broken pipe):
 * draining first lets a 413 be read (nginx's lingering close does the same).
 */
export function discardRest(
  request: IncomingMessage,
  limits: { readonly maxBytes: number; readonly maxMs: number },
): Promise<void> {
  return new Promise((resolve) => {
    if (request.complete || request.destroyed) return resolve();
    let size = 0;
    const done = (): void => {
      clearTimeout(timer);
      request.off("data", count);
      request.off("end", done);
      request.off("close", done);
      request.off("error", done);
      resolve();
    };
    const count = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) done();
    };
    const timer = setTimeout(done, limits.maxMs);
    request.on("data", count);
    request.once("end", done);
    request.once("close", done);
    request.once("error", done);
    request.resume();
  });
}

/** The client went away before its request was whole: nobody to answer, nothing to log. */
export class ClientGone extends Error {
  override readonly name = "ClientGone";
}

/**
 * The request's body as text, refused with {@link BodyTooLarge} past
 * `maxBytes`, or {@link ClientGone} if the client hangs up first.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners("data");
        request.resume();
        reject(new BodyTooLarge(`${what} must be at most ${maxBytes} bytes`));
      } else {
        chunks.push(chunk);
      }
    });
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", (error) => reject(new ClientGone(error.message, { cause: error })));
  });
}
