/**
 * fauxqs started through its programmatic API: its CLI forces request
 * logging on, which would measure pino instead of fauxqs.
 * Usage: node --import tsx fauxqs-server.ts <port>
 */
import { startFauxqs } from "fauxqs";

const port = Number(process.argv[2] ?? 0);
const server = await startFauxqs({ port, logger: false });
console.log(`fauxqs listening on http://127.0.0.1:${server.port}`);
process.on("SIGTERM", () => {
  void server.stop().then(() => process.exit(0));
});
