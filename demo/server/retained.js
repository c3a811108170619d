// The application envelopes a session sent and the client has not yet
// acknowledged (PROTOCOL.md §5.2, §5.4): what a resume replays. Bounded by
// count and bytes; when a bound is exceeded the oldest go, and the highest
// `seq` that went unacknowledged is remembered, because a resume that needs it
// can no longer be served and must reset instead of silently skipping it.

export class Retained {
  /** @param bounds `{ messages, bytes }` (config.retain) */
  constructor({ messages, bytes }) {
    this._maxMessages = messages;
    this._maxBytes = bytes;
    /** `{ env, bytes }` in `seq` order, contiguous. */
    this._items = [];
    this._bytes = 0;
    // Highest `seq` acknowledged by the client, and highest `seq` dropped without an acknowledgement.
    this._acked = 0;
    this._lost = 0;
  }

  /** Keeps `env` (which has a `seq`); drops the oldest while a bound is exceeded. */
  push(env) {
    const bytes = Buffer.byteLength(JSON.stringify(env));
    this._items.push({ env, bytes });
    this._bytes += bytes;
    while (this._items.length > this._maxMessages || (this._bytes > this._maxBytes && this._items.length)) {
      const dropped = this._items.shift();
      this._bytes -= dropped.bytes;
      this._lost = dropped.env.seq;
    }
  }

  /** The client has every `seq` ≤ `n` (an `ack`, or the `last` of a resume). */
  ack(n) {
    if (n > this._acked) this._acked = n;
    let i = 0;
    while (i < this._items.length && this._items[i].env.seq <= n) this._bytes -= this._items[i++].bytes;
    if (i) this._items.splice(0, i);
  }

  /** Whether every envelope after `last` is still here, so a resume from `last` skips nothing. */
  covers(last) {
    return last >= this._lost;
  }

  /**
   * Dropped envelopes the client has not confirmed having: a resume from
   * before them will reset. An ack past them clears this, since the client had them after all.
   */
  get overflowed() {
    return this._lost > this._acked;
  }

  /** The envelopes held, oldest first: a resume's replay. */
  envelopes() {
    return this._items.map((i) => i.env);
  }

  get length() {
    return this._items.length;
  }

  get bytes() {
    return this._bytes;
  }
}
