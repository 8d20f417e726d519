/**
 * A broker's store that records two receives and one delete, then dies by
 * SIGKILL after a wait: what the deferred receives left on disk is what a
 * crash leaves. Usage: receive-then-kill.ts <file> <receiveWriteDelayMs> <waitMs>
 */
import { SqliteStore } from "../../../../src/broker/storage/sqlite-store.ts";
import { committed, message, payload, queue } from "../store-contract.ts";

const [file, delayMs, waitMs] = process.argv.slice(2);
const store = new SqliteStore({ file: file!, receiveWriteDelayMs: Number(delayMs) });
store.load();
store.putQueue(queue(1));
for (const seq of [1, 2]) store.insertMessage(message(seq), payload());
await committed(store);

// A receive alone needs no commit before it is answered...
store.recordReceive(message(1, { receiveCount: 1, visibleAt: 1_700_000_030_000 }));
let answeredAtOnce = false;
store.whenCommitted(() => (answeredAtOnce = true));
// ...and one followed by a delete leaves only the delete to write.
store.recordReceive(message(2, { receiveCount: 1, visibleAt: 1_700_000_030_000 }));
store.deleteMessage(2);
await committed(store);
process.stdout.write(`${JSON.stringify({ answeredAtOnce })}\n`);

setTimeout(() => process.kill(process.pid, "SIGKILL"), Number(waitMs));
