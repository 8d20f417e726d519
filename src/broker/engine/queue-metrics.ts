/** Minutes of history kept per queue: 24 hours, one value a minute. */
export const METRIC_MINUTES = 1440;
export const MINUTE_MS = 60_000;

/** Minutes in one chunk of history. */
const CHUNK_MINUTES = 60;
/** Chunks kept: a day of whole hours, and the hour under way. */
const CHUNKS = METRIC_MINUTES / CHUNK_MINUTES + 1;

/** Where each number's 60 minutes start in a chunk's `ints` (Int32: a minute never nears 2^31). */
const SENT = 0;
const RECEIVED = 1 * CHUNK_MINUTES;
const DELETED = 2 * CHUNK_MINUTES;
const EMPTY_RECEIVES = 3 * CHUNK_MINUTES;
const SIZE_MIN = 4 * CHUNK_MINUTES;
const SIZE_MAX = 5 * CHUNK_MINUTES;
const VISIBLE = 6 * CHUNK_MINUTES;
const NOT_VISIBLE = 7 * CHUNK_MINUTES;
const DELAYED = 8 * CHUNK_MINUTES;
const OLDEST_AGE = 9 * CHUNK_MINUTES;
const INTS = 10 * CHUNK_MINUTES;

/**
 * One hour of one queue's numbers, a minute a slot, in one buffer of 2,880
 * bytes: small enough to come from the allocator's pool (a whole day in one
 * 69 KiB piece took 0.2 ms of fresh pages to allocate on this machine).
 */
class HourChunk {
  /** SentMessageSize summed, per minute. */
  readonly sizeSum: Float64Array;
  /** Every other number, 60 minutes each, at the offsets above. */
  readonly ints: Int32Array;

  /** @param hour the hour it holds, as ms since the epoch / 3,600,000. */
  constructor(
    readonly hour: number,
    minutes = CHUNK_MINUTES,
  ) {
    const buffer = new ArrayBuffer(minutes * 8 + (minutes === 0 ? 0 : INTS * 4));
    this.sizeSum = new Float64Array(buffer, 0, minutes);
    this.ints = new Int32Array(buffer, minutes * 8);
  }
}

/** Where nothing is recorded yet: every record first finds (or makes) its minute's chunk. */
const NO_CHUNK = new HourChunk(-1, 0);

/** A queue's gauges at one moment, as CloudWatch names them. */
export interface QueueGauges {
  /** ApproximateNumberOfMessagesVisible */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible (in flight) */
  notVisible: number;
  /** ApproximateNumberOfMessagesDelayed */
  delayed: number;
  /** ApproximateAgeOfOldestMessage, whole seconds; 0 for an empty queue. */
  oldestAgeSeconds: number;
}

/** One queue's per-minute history, oldest minute first; `null` where nothing is known. */
export interface MetricSeries {
  /** Start of the first minute, ms since the epoch. */
  start: number;
  sent: number[];
  received: number[];
  deleted: number[];
  emptyReceives: number[];
  /** SentMessageSize per minute: sum and count (= sent), and min and max (null without sends). */
  sentBytes: number[];
  sentSizeMin: (number | null)[];
  sentSizeMax: (number | null)[];
  visible: (number | null)[];
  notVisible: (number | null)[];
  delayed: (number | null)[];
  oldestAgeSeconds: (number | null)[];
}

/**
 * One queue's metrics, with CloudWatch's SQS meanings: running totals since
 * the broker started (for Prometheus counters) and the last 24 hours minute
 * by minute, in memory only.
 *
 * Recording is on the hot path, so it is a time check and a few increments
 * at the current minute's slot of a typed array. Only the first event of a
 * minute does more: it finds the minute's hour chunk, allocating it at the
 * first event or non-empty sample of that hour (chunks in a ring of 25 hours,
 * so a newer hour replaces the one of a day ago). A minute without a chunk
 * had no events and an empty queue, so idle queues cost nothing and a queue
 * busy all day about 70 KiB; the sampler drops chunks older than a day.
 */
export class QueueMetrics {
  /** NumberOfMessagesSent since the broker started. */
  sentTotal = 0;
  /** SentMessageSize summed since the broker started, bytes. */
  sentBytesTotal = 0;
  /** NumberOfMessagesReceived since the broker started. */
  receivedTotal = 0;
  /** NumberOfMessagesDeleted since the broker started. */
  deletedTotal = 0;
  /** NumberOfEmptyReceives since the broker started. */
  emptyReceivesTotal = 0;

  /** Hour chunks by hour modulo CHUNKS; undefined until the first is made. */
  private chunks: (HourChunk | undefined)[] | undefined;
  /** The current minute's chunk and slot in it, and when that minute ends. */
  private chunk = NO_CHUNK;
  private slot = 0;
  private minuteEnd = 0;
  /** The first minute this broker watched the queue: earlier gauges are unknown. */
  private readonly sinceMinute: number;

  /** @param since when this broker started watching the queue (created, or loaded at start). */
  constructor(since: number) {
    this.sinceMinute = Math.floor(since / MINUTE_MS);
  }

  /** A message was added to the queue (SendMessage, or one SendMessageBatch entry). */
  recordSent(bytes: number, now: number): void {
    if (now >= this.minuteEnd) this.moveTo(now);
    const ints = this.chunk.ints;
    const slot = this.slot;
    const count = ++ints[SENT + slot];
    this.chunk.sizeSum[slot] += bytes;
    if (count === 1 || bytes < ints[SIZE_MIN + slot]) ints[SIZE_MIN + slot] = bytes;
    if (bytes > ints[SIZE_MAX + slot]) ints[SIZE_MAX + slot] = bytes;
    this.sentTotal++;
    this.sentBytesTotal += bytes;
  }

  /** One ReceiveMessage call returned `count` messages; 0 is an empty receive. */
  recordReceive(count: number, now: number): void {
    if (now >= this.minuteEnd) this.moveTo(now);
    if (count === 0) {
      this.chunk.ints[EMPTY_RECEIVES + this.slot]++;
      this.emptyReceivesTotal++;
    } else {
      this.chunk.ints[RECEIVED + this.slot] += count;
      this.receivedTotal += count;
    }
  }

  /** A delete with a valid receipt handle succeeded (repeats of the same delete count too). */
  recordDeleted(now: number): void {
    if (now >= this.minuteEnd) this.moveTo(now);
    this.chunk.ints[DELETED + this.slot]++;
    this.deletedTotal++;
  }

  /**
   * Records the queue's gauges as the value of the minute `at` falls in; a
   * later sample of the same minute replaces it. An empty queue's sample
   * needs no chunk: a minute without one reads as empty.
   */
  sample(at: number, gauges: QueueGauges): void {
    const empty = gauges.visible === 0 && gauges.notVisible === 0 && gauges.delayed === 0;
    const minute = Math.floor(at / MINUTE_MS);
    const chunk = this.chunkOf(minute, !empty);
    if (chunk === undefined) return;
    const slot = minute % CHUNK_MINUTES;
    const ints = chunk.ints;
    ints[VISIBLE + slot] = gauges.visible;
    ints[NOT_VISIBLE + slot] = gauges.notVisible;
    ints[DELAYED + slot] = gauges.delayed;
    ints[OLDEST_AGE + slot] = gauges.oldestAgeSeconds;
  }

  /** Drops the chunks of hours more than a day before `now`. */
  dropExpired(now: number): void {
    const chunks = this.chunks;
    if (chunks === undefined) return;
    const oldestKept = Math.floor(now / MINUTE_MS / CHUNK_MINUTES) - CHUNKS + 1;
    let left = 0;
    for (let i = 0; i < CHUNKS; i++) {
      const chunk = chunks[i];
      if (chunk === undefined) continue;
      if (chunk.hour >= oldestKept) left++;
      else chunks[i] = undefined;
    }
    if (this.chunk.hour < oldestKept) {
      this.chunk = NO_CHUNK;
      this.minuteEnd = 0;
    }
    if (left === 0) this.chunks = undefined;
  }

  /** Hours of history held (2,880 bytes each), for tests of the memory bound. */
  get chunkCount(): number {
    return this.chunks?.filter((c) => c !== undefined).length ?? 0;
  }

  /**
   * The last `minutes` minutes (at most METRIC_MINUTES), the current one
   * last. Sample the gauges first, so the current minute has them.
   */
  series(now: number, minutes: number): MetricSeries {
    const current = Math.floor(now / MINUTE_MS);
    const first = current - Math.min(minutes, METRIC_MINUTES) + 1;
    const out: MetricSeries = {
      start: first * MINUTE_MS,
      sent: [],
      received: [],
      deleted: [],
      emptyReceives: [],
      sentBytes: [],
      sentSizeMin: [],
      sentSizeMax: [],
      visible: [],
      notVisible: [],
      delayed: [],
      oldestAgeSeconds: [],
    };
    for (let minute = first; minute <= current; minute++) {
      const watched = minute >= this.sinceMinute;
      const chunk = this.chunkOf(minute, false);
      if (chunk === undefined) {
        // No chunk: no events, and the queue was empty (unknown before it was watched).
        const gauge = watched ? 0 : null;
        for (const counter of [out.sent, out.received, out.deleted, out.emptyReceives])
          counter.push(0);
        out.sentBytes.push(0);
        out.sentSizeMin.push(null);
        out.sentSizeMax.push(null);
        for (const series of [out.visible, out.notVisible, out.delayed, out.oldestAgeSeconds])
          series.push(gauge);
        continue;
      }
      const slot = minute % CHUNK_MINUTES;
      const ints = chunk.ints;
      const sent = ints[SENT + slot];
      out.sent.push(sent);
      out.received.push(ints[RECEIVED + slot]);
      out.deleted.push(ints[DELETED + slot]);
      out.emptyReceives.push(ints[EMPTY_RECEIVES + slot]);
      out.sentBytes.push(chunk.sizeSum[slot]);
      out.sentSizeMin.push(sent === 0 ? null : ints[SIZE_MIN + slot]);
      out.sentSizeMax.push(sent === 0 ? null : ints[SIZE_MAX + slot]);
      out.visible.push(watched ? ints[VISIBLE + slot] : null);
      out.notVisible.push(watched ? ints[NOT_VISIBLE + slot] : null);
      out.delayed.push(watched ? ints[DELAYED + slot] : null);
      out.oldestAgeSeconds.push(watched ? ints[OLDEST_AGE + slot] : null);
    }
    return out;
  }

  /**
   * Points the record methods at `now`'s minute. Called once `now` passed
   * the current minute's end; a clock that went back keeps counting in the
   * current minute (the check above never sends it here).
   */
  private moveTo(now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    // No chunk only for a minute more than a day older than one already recorded.
    this.chunk = this.chunkOf(minute, true) ?? NO_CHUNK;
    this.slot = minute % CHUNK_MINUTES;
    this.minuteEnd = (minute + 1) * MINUTE_MS;
  }

  /** The chunk holding `minute`; with `make`, a new one when that hour has none yet. */
  private chunkOf(minute: number, make: boolean): HourChunk | undefined {
    const hour = Math.floor(minute / CHUNK_MINUTES);
    const index = hour % CHUNKS;
    const held = this.chunks?.[index];
    if (held !== undefined && held.hour === hour) return held;
    // An older hour's chunk in this place is more than a day old; a newer one means `minute` is.
    if (!make || (held !== undefined && held.hour > hour)) return undefined;
    const chunk = new HourChunk(hour);
    this.chunks ??= new Array<HourChunk | undefined>(CHUNKS);
    this.chunks[index] = chunk;
    return chunk;
  }
}
