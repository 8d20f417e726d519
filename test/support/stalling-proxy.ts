import { connect, createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";

/** An endpoint in front of a broker that can stop answering, as a broker under `kill -STOP` does. */
export interface StallingProxy {
  readonly endpoint: string;
  /** From now on nothing is answered: connections are still accepted, and open ones go quiet. */
  stall(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a random loopback port to `target` (a broker's endpoint), or,
 * without one, a listener that accepts connections and never answers. A
 * stalled proxy keeps every connection open and passes nothing either way,
 * so a client without a deadline of its own waits for ever.
 */
export async function startStallingProxy(target?: string): Promise<StallingProxy> {
  const sockets = new Set<Socket>();
  let stalled = target === undefined;
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const quiet = (socket: Socket) => {
    socket.unpipe();
    socket.pause();
  };
  const server = createServer((client) => {
    keep(client);
    if (stalled) return quiet(client);
    const { hostname, port } = new URL(target!);
    const upstream = connect(Number(port), hostname);
    keep(upstream);
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stall() {
      stalled = true;
      for (const socket of sockets) quiet(socket);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
