// The registry of live sessions: creates them with unguessable ids, finds
// them by id for the HTTP transports, and broadcasts to all of them.
import { randomBytes } from 'node:crypto';
import { Session } from './session.js';

export class Sessions {
  /**
   * @param config resolved server options
   * @param events the server's EventEmitter: gets 'session:open' and 'session:end'
   */
  constructor(config, events) {
    this._config = config;
    this._events = events;
    this._map = new Map();
    // sid → timer, for sessions recently ended with `$close`; see `saidClose`.
    this._closed = new Map();
  }

  /**
   * A new session, registered. Its id is 128 random bits: on SSE and long
   * polling the id alone ties a POST to its session, so it must not be guessable.
   */
  create(transport) {
    let sid;
    do sid = randomBytes(16).toString('base64url');
    while (this._map.has(sid));
    const session = new Session(sid, transport, this._config, (s, why, saidClose) => this._ended(s, why, saidClose));
    this._map.set(sid, session);
    this._config.log('info', `session ${short(sid)} opened over ${transport}`);
    this._events.emit('session:open', { sid, transport });
    return session;
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

  /** Sends an application envelope to every session (each numbers it in its own sequence); returns how many. */
  broadcast(type, data) {
    const all = [...this._map.values()];
    for (const s of all) s.send(type, data);
    return all.length;
  }

  /** Ends every session (with `$close` first when `farewell` is given); resolves when their transports are done. */
  endAll(why, farewell) {
    if (!farewell) this._forgetClosed();
    return Promise.all([...this._map.values()].map((s) => s.end(why, farewell)));
  }

  _forgetClosed() {
    for (const timer of this._closed.values()) clearTimeout(timer);
    this._closed.clear();
  }

  stats() {
    const byTransport = { websocket: 0, sse: 0, 'long-polling': 0 };
    for (const s of this._map.values()) byTransport[s.transport]++;
    return { sessions: this._map.size, byTransport };
  }

  list() {
    return [...this._map.values()].map((s) => ({ sid: s.sid, transport: s.transport, since: s.since }));
  }

  _ended(session, why, saidClose) {
    this._map.delete(session.sid);
    if (saidClose) {
      const timer = setTimeout(() => this._closed.delete(session.sid), this._config.pollTimeout);
      timer.unref();
      this._closed.set(session.sid, timer);
    }
    this._config.log('info', `session ${short(session.sid)} ended: ${why}`);
    this._events.emit('session:end', { sid: session.sid, transport: session.transport, why });
  }
}

// Logs show a prefix only: the full id is a bearer credential for /send and /poll.
const short = (sid) => sid.slice(0, 6) + '…';
