/**
 * The ceiling: the least a Node HTTP server can do per request. It reads the
 * whole request body (any broker must) and answers a fixed SendMessage-sized
 * JSON body, on plain node:http in its own process, exactly as the broker
 * would be spawned. Usage: node --import tsx ceiling-server.ts <port>
 */
import { Buffer } from "node:buffer";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
const answer = Buffer.from(
  JSON.stringify({
    MD5OfMessageBody: "c5cd3a3a5a2ed8eb4b1c4f3d1d1cd2b1",
    MessageId: "5fea7756-0ea4-451a-a703-a558b933e274",
  }),
);
const headers = {
  "content-type": "application/x-amz-json-1.0",
  "content-length": String(answer.length),
};

const server = createServer((req, res) => {
  req.on("data", () => undefined);
  req.on("end", () => {
    res.writeHead(200, headers);
    res.end(answer);
  });
});
// Node's default 5 s keep-alive is fine under load, but a pause between phases must not cost a reconnect.
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  console.log(`ceiling listening on http://127.0.0.1:${bound}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
