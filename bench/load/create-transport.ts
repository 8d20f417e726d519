import { NodeHttpTransport } from "./node-http-transport.ts";
import { RawHttpTransport } from "./raw-http-transport.ts";
import type { ClientKind, Transport } from "./transport.ts";
import { UndiciTransport } from "./undici-transport.ts";

/** One pool per job, sized to the job's in-flight count so every request has a connection. */
export function createTransport(kind: ClientKind, origin: string, connections: number): Transport {
  switch (kind) {
    case "undici":
      return new UndiciTransport(origin, connections);
    case "node-http":
      return new NodeHttpTransport(origin, connections);
    case "raw":
      return new RawHttpTransport(origin, connections);
  }
}
