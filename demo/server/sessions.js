// The registry of sessions: creates them with unguessable ids, decides on each
// connecting request whether it resumes one or starts afresh (PROTOCOL.md
// §5.3), finds them by id for the HTTP transports, and forgets them when they
// end or expire.
import { randomBytes } from 'node:crypto';
import { Session } from './session.js';

export class Sessions {
  /**
   * @param config resolved server options
   * @param events the server's EventEmitter: gets 'session:open', 'session:end', 'session:resume', 'session:reset'
   */
  constructor(config, events) {
    this._config = config;
    this._events = events;
    this._map = new Map();
    // sid → timer, for sessions recently ended with `$close`; see `saidClose`.
    this._closed = new Map();
    // sid → { lastIn, timer }, for sessions recently expired: a late resume is told `expired` with its `ack`.
    this._expired = new Map();
    this._hooks = {
      ended: (s, why, saidClose) => this._ended(s, why, saidClose),
      expired: (s) => this._expire(s),
    };
  }

  /**
   * A connecting request (one with `v`) over `transport`, with its query
   * `params`: resumes session `sid` if it can replay everything after `last`,
   * else starts a new session and says why the old one was not resumed.
   * Returns `{ session, hello }`; the transport builds its link, then calls `session.attach(link, hello)`.
   */
  connect(transport, params) {
    const sid = params.get('sid');
    if (!sid) return { session: this._create(transport), hello: { resumed: false, ack: 0 } };
    const last = parseLast(params.get('last'));
    const old = this.get(sid);
    // A `last` beyond what the session sent (or not a number) is one the client cannot have had.
    const plausible = old && last !== null && last <= old.seqOut;
    if (plausible && old.retained.covers(last)) {
      old.acked(last); // what the client delivered it has: no need to replay it
      this._config.log('info', `session ${short(sid)} resumed over ${transport} after seq ${last}`);
      this._events.emit('session:resume', sid, transport);
      return { session: old, hello: { resumed: true, ack: old.lastIn } };
    }
    let reason = 'unknown_session';
    if (plausible) reason = 'overflow'; // known, but what the client lacks was dropped
    else if (!old && this._expired.has(sid)) reason = 'expired';
    const ack = old ? old.lastIn : (this._expired.get(sid)?.lastIn ?? 0);
    if (old) old.end(`reset (${reason})`);
    this._forgetExpired(sid);
    const session = this._create(transport);
    this._events.emit('session:reset', sid, session.sid, reason);
    return { session, hello: { resumed: false, reason, ack } };
  }

  get(sid) {
    return typeof sid == 'string' ? this._map.get(sid) : undefined;
  }

  /**
   * Whether the session was ended with `$close` lately. Its client may still
   * POST (a `$pong`, say) before the `$close` reaches it on the stream or poll;
   * answering that POST 404 would make it reconnect, racing the `$close` that says not to.
   */
  saidClose(sid) {
    return this._closed.has(sid);
  }

  get size() {
    return this._map.size;
  }

  /** Sends an application envelope to every session, connected or not (each numbers it in its own sequence); returns how many. */
  broadcast(type, data) {
    const all = [...this._map.values()];
    for (const s of all) s.send(type, data);
    return all.length;
  }

  /**
   * Ends every session (with `$close` first when `farewell` is given);
   * resolves when their transports are done. Without a farewell the server is
   * closing: like a process that exits, it forgets every trace of them.
   */
  endAll(why, farewell) {
    if (!farewell) {
      for (const timer of this._closed.values()) clearTimeout(timer);
      this._closed.clear();
      for (const sid of [...this._expired.keys()]) this._forgetExpired(sid);
    }
    return Promise.all([...this._map.values()].map((s) => s.end(why, farewell)));
  }

  /** `byTransport` counts the connected sessions; `sessions` counts those waiting for a resume too. */
  stats() {
    const byTransport = { websocket: 0, sse: 0, 'long-polling': 0 };
    for (const s of this._map.values()) if (s.transport) byTransport[s.transport]++;
    return { sessions: this._map.size, byTransport };
  }

  list() {
    return [...this._map.values()].map((s) => ({ sid: s.sid, transport: s.lastTransport, connected: !!s.link, since: s.since }));
  }

  /**
   * A new session, registered. Its id is 128 random bits: on SSE and long
   * polling the id alone ties a POST to its session, so it must not be guessable.
   */
  _create(transport) {
    let sid;
    do sid = randomBytes(16).toString('base64url');
    while (this._map.has(sid));
    const session = new Session(sid, this._config, this._hooksFor(sid));
    this._map.set(sid, session);
    this._config.log('info', `session ${short(sid)} opened over ${transport}`);
    this._events.emit('session:open', { sid, transport });
    return session;
  }

  _hooksFor(sid) {
    return { ...this._hooks, log: (message) => this._config.log('info', `session ${short(sid)} ${message}`) };
  }

  _ended(session, why, saidClose) {
    this._map.delete(session.sid);
    if (saidClose) {
      const timer = setTimeout(() => this._closed.delete(session.sid), this._config.pollTimeout);
      timer.unref();
      this._closed.set(session.sid, timer);
    }
    this._config.log('info', `session ${short(session.sid)} ended: ${why}`);
    this._events.emit('session:end', { sid: session.sid, transport: session.lastTransport, why });
  }

  // No connection for retain.time: forgotten, but for as long again a resume is told `expired`, with its `ack`.
  _expire(session) {
    const { sid, lastIn } = session;
    session.end(`expired: no connection for ${this._config.retain.time} ms`);
    const timer = setTimeout(() => this._expired.delete(sid), this._config.retain.time);
    timer.unref();
    this._expired.set(sid, { lastIn, timer });
  }

  _forgetExpired(sid) {
    clearTimeout(this._expired.get(sid)?.timer);
    this._expired.delete(sid);
  }
}

/** The `last` query parameter: absent means 0 (nothing delivered); anything but an integer ≥ 0 is null. */
function parseLast(text) {
  if (text === null || text === '') return 0;
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

// Logs show a prefix only: the full id is a bearer credential for /send and /poll.
const short = (sid) => sid.slice(0, 6) + '…';
