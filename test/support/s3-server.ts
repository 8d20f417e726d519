import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "../../src/apps/aws/s3-client.ts";
import type { AwsConnection } from "../../src/apps/aws/aws-connection.ts";

/** An s3rver on a random loopback port, keeping its buckets in a temp dir of its own. */
export interface TestS3Server {
  endpoint: string;
  /** How the apps reach it (s3rver accepts only the key `S3RVER`/`S3RVER`). */
  connection: AwsConnection;
  /** A client for the test's own setup and checks. */
  s3: S3Client;
  /** Creates a bucket (a fresh unique name when none is given) and returns its name. */
  createBucket(name?: string): Promise<string>;
  /** Stops the server, drops open connections and deletes its folder. */
  close(): Promise<void>;
}

/** The part of s3rver's API used here (it ships no types). */
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
  store: S3rverStore;
}

/** The part of s3rver's file store that `keepFolders` replaces. */
interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;

export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), "mailroom-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    // Path-style only: a bucket name must never be taken from the Host header.
    vhostBuckets: false,
  });
  keepFolders(server.store);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const connection: AwsConnection = {
    region: "us-east-1",
    endpointUrl: endpoint,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  };
  const s3 = createS3Client(connection);
  return {
    endpoint,
    connection,
    s3,
    async createBucket(name = `test-${randomBytes(5).toString("hex")}`) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async close() {
      s3.destroy();
      const closed = server.close();
      // Clients the test forgot to destroy must not hold the server open.
      server.httpServer?.closeAllConnections();
      await closed;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver's DeleteObject removes the folders a key's files leave empty, and
 * races a PutObject into the same folder: the put's write stream then fails
 * with ENOENT, an error nobody listens for, which takes the whole test
 * process down (seen in CI when a widget was deleted while another of the
 * same owner was written). Here a delete removes the object's files only.
 * S3 has no folders, and s3rver lists keys from files, so an empty folder
 * changes no answer.
 */
function keepFolders(store: S3rverStore): void {
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ["object", "object.md5", "metadata.json"].map((resource) =>
        rm(store.getResourcePath(bucket, key, resource), { force: true }),
      ),
    );
  };
}
