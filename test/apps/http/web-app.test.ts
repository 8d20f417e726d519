import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import type { HttpService } from "../../../src/apps/http/http-server.ts";
import { createWebApp, json } from "../../../src/apps/http/web-app.ts";

const LIMIT = 64 * 1024;
const TOO_LARGE = `{"error":"a request body must be at most ${LIMIT} bytes"}`;

/**
 * Sends `head` then `body` on a raw connection, as fast as the socket takes
 * it, and resolves with all the bytes the server answered before it closed
 * (or with the error that ended the connection instead, or a timeout).
 */
function exchange(port: number, head: string, body?: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`${Buffer.concat(received).toString()}[no answer in 10 s]`);
    }, 10_000);
    socket.on("close", () => clearTimeout(timer));
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      resolve(`${Buffer.concat(received).toString()}[${error.code}]`),
    );
    socket.on("close", () => resolve(Buffer.concat(received).toString()));
    socket.write(head);
    if (body !== undefined) socket.end(body);
  });
}

describe("createWebApp: a body over the limit", () => {
  let app: HttpService;
  let port: number;

  before(async () => {
    app = createWebApp({
      name: "the test app",
      host: "127.0.0.1",
      port: 0,
      logger: pino({ level: "silent" }),
      maxBodyBytes: LIMIT,
      bodyName: "a request body",
      routes: async (request) => json(200, { length: (await request.readBody()).length }),
    });
    ({ port } = await app.listen());
  });

  after(() => app.close(100));

  it("is answered 413 that the client reads, though it was still sending (5 MB, 3 times)", async () => {
    const body = Buffer.alloc(5_000_000, "a");
    for (let run = 0; run < 3; run += 1) {
      const answer = await exchange(
        port,
        `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
      assert.match(answer, /^HTTP\/1\.1 413 /, `run ${run}: ${answer.slice(0, 80)}`);
      assert.ok(answer.endsWith(`${TOO_LARGE}\n`), `run ${run}: ${answer.slice(-80)}`);
    }
  });

  it("refuses a chunked body over the limit with 413 too", async () => {
    const chunk = Buffer.alloc(1_000_000, "a");
    const chunks = Buffer.concat([
      ...Array.from({ length: 3 }, () =>
        Buffer.concat([
          Buffer.from(`${chunk.length.toString(16)}\r\n`),
          chunk,
          Buffer.from("\r\n"),
        ]),
      ),
      Buffer.from("0\r\n\r\n"),
    ]);
    const answer = await exchange(
      port,
      "POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
      chunks,
    );
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.ok(answer.endsWith(`${TOO_LARGE}\n`));
  });

  it("answers Expect: 100-continue with 413 before 100 Continue when the declared length is over", async () => {
    const answer = await exchange(
      port,
      `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.ok(!answer.includes("100 Continue"));
    assert.ok(answer.endsWith(`${TOO_LARGE}\n`));
  });

  it("still sends 100 Continue and serves a body within the limit", async () => {
    const body = Buffer.alloc(1000, "a");
    const answer = await exchange(
      port,
      `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      body,
    );
    assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    assert.ok(answer.endsWith('{"length":1000}\n'));
  });
});
