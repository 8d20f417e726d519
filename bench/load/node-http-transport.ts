import { Buffer } from "node:buffer";
import { Agent, request } from "node:http";
import type { WireHeaders } from "./sqs-wire.ts";
import type { Transport, WireResponse } from "./transport.ts";

/** node:http with a keep-alive Agent; kept so the client choice can be re-measured (`--client node-http`). */
export class NodeHttpTransport implements Transport {
  readonly #agent: Agent;
  readonly #url: URL;

  constructor(origin: string, connections: number) {
    this.#url = new URL(origin);
    this.#agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  post(headers: WireHeaders, body: string): Promise<WireResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#url.hostname,
          port: this.#url.port,
          method: "POST",
          path: "/",
          agent: this.#agent,
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}
