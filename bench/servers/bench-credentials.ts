import { randomBytes } from "node:crypto";
import type { SigningCredentials } from "../load/sigv4-signer.ts";

/**
 * The one access key of the signed scenarios' server: made up per run (the
 * secret is random), given to the server in its environment and to the
 * generator in its jobs. Never a real AWS key.
 */
export const BENCH_CREDENTIALS: SigningCredentials = {
  accessKeyId: "AKIAMAILROOMBENCH000",
  secretAccessKey: randomBytes(30).toString("base64"),
  region: "us-east-1",
};
