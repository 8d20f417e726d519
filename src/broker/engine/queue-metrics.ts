/** Minutes of history kept per queue: 24 hours, one slot a minute. */
export const METRIC_MINUTES = 1440;
export const MINUTE_MS = 60_000;

/** A gauge slot holding no sample (before the broker started, or the queue existed). */
const NO_SAMPLE = -1;

/** The per-minute numbers of one queue, in fixed arrays indexed by minute modulo their size. */
class MinuteRing {
  readonly sent: Uint32Array;
  readonly received: Uint32Array;
  readonly deleted: Uint32Array;
  readonly emptyReceives: Uint32Array;
  readonly sizeSum: Float64Array;
  readonly sizeMin: Uint32Array;
  readonly sizeMax: Uint32Array;
  readonly visible: Int32Array;
  readonly notVisible: Int32Array;
  readonly delayed: Int32Array;
  readonly oldestAge: Int32Array;

  constructor(size: number) {
    this.sent = new Uint32Array(size);
    this.received = new Uint32Array(size);
    this.deleted = new Uint32Array(size);
    this.emptyReceives = new Uint32Array(size);
    this.sizeSum = new Float64Array(size);
    this.sizeMin = new Uint32Array(size);
    this.sizeMax = new Uint32Array(size);
    this.visible = new Int32Array(size);
    this.notVisible = new Int32Array(size);
    this.delayed = new Int32Array(size);
    this.oldestAge = new Int32Array(size);
  }

  /** Starts a slot over for a new minute: no events, no gauge sample yet. */
  clear(slot: number, gauge: number): void {
    this.sent[slot] = this.received[slot] = this.deleted[slot] = this.emptyReceives[slot] = 0;
    this.sizeSum[slot] = this.sizeMin[slot] = this.sizeMax[slot] = 0;
    this.visible[slot] = this.notVisible[slot] = this.delayed[slot] = this.oldestAge[slot] = gauge;
  }
}

/** Stands for "no history allocated": a queue that has been idle and empty. */
const NO_RING = new MinuteRing(0);

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

/** One queue's per-minute history, oldest minute first; `null` where nothing was recorded. */
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
 * Recording is on the hot path, so it is a few number writes into arrays
 * allocated once: a time check, then increments at the current minute's
 * slot. Only the first event of a minute does more (clearing the slots of the
 * minutes passed over). The arrays (about 69 KiB) are allocated at a queue's
 * first event or first non-empty sample and freed again once it has been
 * idle and empty for a whole day, so thousands of idle queues cost nothing.
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

  private ring = NO_RING;
  /** The minute (ms / MINUTE_MS) the current slot holds, and where that minute ends. */
  private minute = 0;
  private slot = 0;
  private minuteEnd = 0;
  /** The latest minute with an event or a non-empty sample, to know when the history can go. */
  private lastActive = 0;
  /** The first minute this broker watched the queue: earlier gauges are unknown. */
  private readonly sinceMinute: number;

  /** @param since when this broker started watching the queue (created, or loaded at start). */
  constructor(since: number) {
    this.sinceMinute = Math.floor(since / MINUTE_MS);
  }

  /** A message was added to the queue (SendMessage, or one SendMessageBatch entry). */
  recordSent(bytes: number, now: number): void {
    if (now >= this.minuteEnd) this.rollForEvent(now);
    const ring = this.ring;
    const slot = this.slot;
    const count = ++ring.sent[slot];
    ring.sizeSum[slot] += bytes;
    if (count === 1 || bytes < ring.sizeMin[slot]) ring.sizeMin[slot] = bytes;
    if (bytes > ring.sizeMax[slot]) ring.sizeMax[slot] = bytes;
    this.sentTotal++;
    this.sentBytesTotal += bytes;
  }

  /** One ReceiveMessage call returned `count` messages; 0 is an empty receive. */
  recordReceive(count: number, now: number): void {
    if (now >= this.minuteEnd) this.rollForEvent(now);
    if (count === 0) {
      this.ring.emptyReceives[this.slot]++;
      this.emptyReceivesTotal++;
    } else {
      this.ring.received[this.slot] += count;
      this.receivedTotal += count;
    }
  }

  /** A delete with a valid receipt handle succeeded (repeats of the same delete count too). */
  recordDeleted(now: number): void {
    if (now >= this.minuteEnd) this.rollForEvent(now);
    this.ring.deleted[this.slot]++;
    this.deletedTotal++;
  }

  /**
   * Records the queue's gauges as the value of the minute `at` falls in; a
   * later sample of the same minute replaces it. An idle empty queue with no
   * history stays without one (its gauges read as 0).
   */
  sample(at: number, gauges: QueueGauges): void {
    const empty = gauges.visible === 0 && gauges.notVisible === 0 && gauges.delayed === 0;
    if (empty && this.ring === NO_RING) return;
    if (at >= this.minuteEnd) this.roll(at);
    const minute = Math.floor(at / MINUTE_MS);
    // A minute before the current one (the sampler's end-of-minute value, late) or older than the ring.
    if (minute <= this.minute - METRIC_MINUTES) return;
    const ring = this.ring;
    const slot = minute < this.minute ? minute % METRIC_MINUTES : this.slot;
    ring.visible[slot] = gauges.visible;
    ring.notVisible[slot] = gauges.notVisible;
    ring.delayed[slot] = gauges.delayed;
    ring.oldestAge[slot] = gauges.oldestAgeSeconds;
    if (!empty) this.lastActive = Math.max(this.lastActive, minute);
  }

  /** Frees the history once nothing happened and the queue was empty for a whole ring. */
  releaseIfIdle(now: number): void {
    if (this.ring === NO_RING) return;
    if (Math.floor(now / MINUTE_MS) - this.lastActive < METRIC_MINUTES) return;
    this.ring = NO_RING;
    this.minuteEnd = 0;
  }

  /** Whether the per-minute arrays are allocated (for tests of the memory bound). */
  get hasHistory(): boolean {
    return this.ring !== NO_RING;
  }

  /**
   * The last `minutes` minutes (at most METRIC_MINUTES), the current one last.
   * Sample the gauges first, so the current minute has them.
   */
  series(now: number, minutes: number): MetricSeries {
    const current = Math.floor(now / MINUTE_MS);
    const first = current - minutes + 1;
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
    const ring = this.ring;
    for (let minute = first; minute <= current; minute++) {
      const recorded =
        ring !== NO_RING && minute <= this.minute && minute > this.minute - METRIC_MINUTES;
      if (!recorded) {
        // Nothing recorded: no events; gauges 0 while watched (an unrecorded
        // watched minute is one the sampler found empty), unknown before.
        const gauge = ring === NO_RING && minute >= this.sinceMinute ? 0 : null;
        for (const counter of [out.sent, out.received, out.deleted, out.emptyReceives])
          counter.push(0);
        out.sentBytes.push(0);
        out.sentSizeMin.push(null);
        out.sentSizeMax.push(null);
        for (const series of [out.visible, out.notVisible, out.delayed, out.oldestAgeSeconds])
          series.push(gauge);
        continue;
      }
      const slot = minute % METRIC_MINUTES;
      const sent = ring.sent[slot];
      out.sent.push(sent);
      out.received.push(ring.received[slot]);
      out.deleted.push(ring.deleted[slot]);
      out.emptyReceives.push(ring.emptyReceives[slot]);
      out.sentBytes.push(ring.sizeSum[slot]);
      out.sentSizeMin.push(sent === 0 ? null : ring.sizeMin[slot]);
      out.sentSizeMax.push(sent === 0 ? null : ring.sizeMax[slot]);
      out.visible.push(gaugeValue(ring.visible[slot]));
      out.notVisible.push(gaugeValue(ring.notVisible[slot]));
      out.delayed.push(gaugeValue(ring.delayed[slot]));
      out.oldestAgeSeconds.push(gaugeValue(ring.oldestAge[slot]));
    }
    return out;
  }

  private rollForEvent(now: number): void {
    this.roll(now);
    this.lastActive = this.minute;
  }

  /** Moves the current slot to `now`'s minute, allocating the arrays when there are none. */
  private roll(now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    if (this.ring === NO_RING) {
      this.ring = new MinuteRing(METRIC_MINUTES);
      // Every minute of the ring was empty while watched (or the arrays would be here).
      for (let back = 0; back < METRIC_MINUTES; back++) {
        const slot = (minute - back) % METRIC_MINUTES;
        this.ring.clear(slot, minute - back >= this.sinceMinute ? 0 : NO_SAMPLE);
      }
    } else {
      // Called only once `now` passed the current minute's end, so minute > this.minute.
      const passed = Math.min(minute - this.minute, METRIC_MINUTES);
      for (let step = 1; step <= passed; step++) {
        this.ring.clear((this.minute + step) % METRIC_MINUTES, NO_SAMPLE);
      }
    }
    this.minute = minute;
    this.slot = minute % METRIC_MINUTES;
    this.minuteEnd = (minute + 1) * MINUTE_MS;
  }
}

function gaugeValue(value: number): number | null {
  return value === NO_SAMPLE ? null : value;
}
