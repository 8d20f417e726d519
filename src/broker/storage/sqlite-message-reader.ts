import type { Database, Statement } from "better-sqlite3";
import type { MessageRecord } from "../engine/store.ts";

/**
 * Reads every message's delivery state, in seq order, for `load()`.
 *
 * better-sqlite3 builds each row through V8's object API, about 0.25 µs a
 * column; for a million 9-column rows that is most of the load. Instead
 * SQLite writes each chunk of rows as one JSON array of numbers (strings
 * quoted), which V8's JSON parser reads in a fraction of that time: measured
 * about twice as fast overall. Chunks also mean no statement stays open
 * between them, so the connection is never left busy by an unfinished loop.
 */
export class SqliteMessageReader {
  private readonly selectChunk: Statement<[number, number], string | null>;

  constructor(private readonly db: Database) {
    // The aggregate consumes the ordered subquery in order; the reader checks
    // it rather than paying for an ORDER BY inside group_concat (a sort).
    this.selectChunk = db
      .prepare<[number, number], string | null>(
        `SELECT '[' || group_concat(concat_ws(',', seq, queue_id, sent_at, visible_at,
           receive_count, first_received_at, last_received_at,
           json_quote(group_id), json_quote(dead_letter_source_arn))) || ']'
         FROM (SELECT seq, queue_id, sent_at, visible_at, receive_count, first_received_at,
                 last_received_at, group_id, dead_letter_source_arn
               FROM messages WHERE seq > ? ORDER BY seq LIMIT ?)`,
      )
      .pluck();
  }

  /** Each iteration reads the table afresh, one chunk at a time. */
  messages(): Iterable<MessageRecord> {
    return { [Symbol.iterator]: () => this.chunks() };
  }

  /**
   * Memory-mapping is off while the whole table is scanned: every page is
   * read once, and mapping them would keep the entire file in the broker's
   * RSS (measured on 1M messages: 519 MiB with the map, 329 MiB without,
   * load time unchanged).
   */
  private *chunks(): Generator<MessageRecord, void, undefined> {
    const mmapBytes = this.db.pragma("mmap_size", { simple: true }) as number;
    this.db.pragma("mmap_size = 0");
    try {
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const text = this.selectChunk.get(after, CHUNK_ROWS);
        if (text === null || text === undefined) return;
        const records = parseChunk(text);
        yield* records;
        after = records[records.length - 1]!.seq;
      }
    } finally {
      this.db.pragma(`mmap_size = ${mmapBytes}`);
    }
  }
}

const CHUNK_ROWS = 4096;
const FIELDS = 9;

type Field = number | string | null;

function parseChunk(text: string): MessageRecord[] {
  const fields = JSON.parse(text) as Field[];
  const records: MessageRecord[] = [];
  let ordered = true;
  for (let i = 0; i < fields.length; i += FIELDS) {
    const record: MessageRecord = {
      seq: fields[i] as number,
      queueId: fields[i + 1] as number,
      sentAt: fields[i + 2] as number,
      visibleAt: fields[i + 3] as number,
      receiveCount: fields[i + 4] as number,
      firstReceivedAt: fields[i + 5] as number,
      lastReceivedAt: fields[i + 6] as number,
    };
    const groupId = fields[i + 7];
    if (groupId !== null) record.groupId = groupId as string;
    const deadLetterSourceArn = fields[i + 8];
    if (deadLetterSourceArn !== null) record.deadLetterSourceArn = deadLetterSourceArn as string;
    if (records.length > 0 && records[records.length - 1]!.seq > record.seq) ordered = false;
    records.push(record);
  }
  if (!ordered) records.sort((a, b) => a.seq - b.seq);
  return records;
}
