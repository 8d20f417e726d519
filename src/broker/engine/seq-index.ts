/** Seqs per chunk: a power of two, so that a chunk's key and slot are a division and a remainder. */
const CHUNK_SIZE = 64;
/** Chunks before their fill is judged (see SeqIndex.tooSparse): 4,096 seqs. */
const SPARSE_CHECK_CHUNKS = 64;
/** Below one item in this many slots, chunks give way to a Map. */
const SPARSE_FILL = 8;

interface Chunk<T> {
  items: Array<T | undefined>;
  count: number;
}

/**
 * Items by seq, kept in chunks of 64 consecutive seqs: a queue's live
 * messages. A `Map` from seq to message kept one hash-table entry per
 * message; in a queue 500,000 deep that is a table far larger than the CPU's
 * caches, which every send wrote into at a random place, and one huge
 * old-generation object that the garbage collector must track every young
 * message stored in. Chunks are small arrays that sends fill one after
 * another. Against the Map (bench/paired.ts, docs/benchmarks.md): batch
 * sends 0.94x the server CPU a request, the shallow drain 0.90-0.97x, and a
 * million queued messages 426 MiB of RSS instead of 453-472.
 *
 * Seqs are shared by all queues, so a queue sent to along with many others
 * gets only some of each chunk's seqs, and a chunk takes its 64 slots
 * (about half a KiB) however few are used. When the chunks are less than an
 * eighth full, the index moves its items into a Map and stays one until it
 * is empty again: at most about twice a Map's memory, never 16 times.
 *
 * Iteration goes chunk by chunk in the order chunks were first used, and by
 * seq within a chunk. Seqs are handed out in increasing order, and a message
 * moved in from another queue takes a new one, so that is the order messages
 * arrived in the queue, which retention relies on (see Queue.oldest).
 */
export class SeqIndex<T> {
  private chunks = new Map<number, Chunk<T>>();
  /** Used instead of the chunks while the seqs are too sparse for them (see `set`). */
  private sparse: Map<number, T> | undefined;
  private count = 0;
  /**
   * The chunk written last and the chunk read last, with their keys: sends
   * fill the newest chunk while receives and deletes work through the
   * oldest, so each mostly stays in its own chunk.
   */
  private writeKey = -1;
  private writeChunk: Chunk<T> | undefined;
  private readKey = -1;
  private readChunk: Chunk<T> | undefined;

  get size(): number {
    return this.count;
  }

  get(seq: number): T | undefined {
    if (this.sparse !== undefined) return this.sparse.get(seq);
    return this.readChunkOf(Math.floor(seq / CHUNK_SIZE))?.items[seq % CHUNK_SIZE];
  }

  set(seq: number, item: T): void {
    if (this.sparse === undefined) {
      if (this.setInChunk(seq, item)) return;
      this.becomeSparse();
    }
    const sparse = this.sparse!;
    if (!sparse.has(seq)) this.count++;
    sparse.set(seq, item);
  }

  delete(seq: number): boolean {
    if (this.sparse !== undefined) {
      if (!this.sparse.delete(seq)) return false;
      // Empty again: the next messages may well be dense.
      if (--this.count === 0) this.clear();
      return true;
    }
    const key = Math.floor(seq / CHUNK_SIZE);
    const chunk = this.readChunkOf(key);
    const slot = seq % CHUNK_SIZE;
    if (chunk === undefined || chunk.items[slot] === undefined) return false;
    chunk.items[slot] = undefined;
    chunk.count--;
    this.count--;
    if (chunk.count === 0) {
      this.chunks.delete(key);
      this.forgetCached();
    }
    return true;
  }

  /** The first item in iteration order (see the class comment). */
  first(): T | undefined {
    return this.values().next().value;
  }

  *values(): IterableIterator<T> {
    if (this.sparse !== undefined) {
      yield* this.sparse.values();
      return;
    }
    for (const chunk of this.chunks.values()) {
      for (const item of chunk.items) if (item !== undefined) yield item;
    }
  }

  clear(): void {
    this.chunks = new Map();
    this.sparse = undefined;
    this.count = 0;
    this.forgetCached();
  }

  /** Stores the item in its seq's chunk; false, storing nothing, when a new chunk is due but the chunks are too sparse. */
  private setInChunk(seq: number, item: T): boolean {
    const key = Math.floor(seq / CHUNK_SIZE);
    let chunk = key === this.writeKey ? this.writeChunk : this.chunks.get(key);
    if (chunk === undefined) {
      if (this.tooSparse()) return false;
      chunk = { items: new Array<T | undefined>(CHUNK_SIZE), count: 0 };
      this.chunks.set(key, chunk);
    }
    this.writeKey = key;
    this.writeChunk = chunk;
    const slot = seq % CHUNK_SIZE;
    if (chunk.items[slot] === undefined) {
      chunk.count++;
      this.count++;
    }
    chunk.items[slot] = item;
    return true;
  }

  /**
   * Whether the chunks hold too few items for their slots: a queue sent to
   * along with many others gets only some of the seqs, and a chunk of 64
   * slots holding one item costs about 600 bytes where a Map entry costs
   * about 40. Judged once there are enough chunks to tell.
   */
  private tooSparse(): boolean {
    const chunks = this.chunks.size;
    return chunks >= SPARSE_CHECK_CHUNKS && this.count * SPARSE_FILL < chunks * CHUNK_SIZE;
  }

  /** Moves every item into a Map, in iteration order, which the Map keeps. */
  private becomeSparse(): void {
    const sparse = new Map<number, T>();
    for (const [key, chunk] of this.chunks) {
      for (let slot = 0; slot < CHUNK_SIZE; slot++) {
        const item = chunk.items[slot];
        if (item !== undefined) sparse.set(key * CHUNK_SIZE + slot, item);
      }
    }
    this.chunks = new Map();
    this.sparse = sparse;
    this.forgetCached();
  }

  private readChunkOf(key: number): Chunk<T> | undefined {
    if (key === this.readKey) return this.readChunk;
    const chunk = this.chunks.get(key);
    if (chunk !== undefined) {
      this.readKey = key;
      this.readChunk = chunk;
    }
    return chunk;
  }

  /** A chunk was dropped: neither cache may keep it (a chunk later made for its key is another). */
  private forgetCached(): void {
    this.writeKey = this.readKey = -1;
    this.writeChunk = this.readChunk = undefined;
  }
}
