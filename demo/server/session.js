// One session (PROTOCOL.md §5): what outlives a connection. It numbers what
// it sends, keeps it until acknowledged, remembers the last client `seq` it
// delivered, and has at most one current connection: a transport's link,
// `{ transport, deliver(envelope), close({ graceful, code, reason }) }`.
// Within one connection each envelope is sent once; the kept ones are for
// the replay when a later connection resumes the session.
import { startHeartbeat } from './heartbeat.js';
import { Retained } from './retained.js';

export class Session {
  /**
   * @param sid unguessable id (see sessions.js)
   * @param config resolved server options (heartbeat, heartbeatTimeout, retain)
   * @param hooks `{ ended(session, why, saidClose), expired(session), log(message) }` from the registry
   */
  constructor(sid, config, hooks) {
    this.sid = sid;
    this.since = Date.now();
    this.receivedAt = this.since;
    /** Highest client `seq` delivered to the application (§5.1). */
    this.lastIn = 0;
    /** Highest `seq` this session has sent. */
    this.seqOut = 0;
    this.retained = new Retained(config.retain);
    /** The current connection's link, null while the client is away. */
    this.link = null;
    /** The transport of the current connection, or of the last one while there is none (for lists and logs). */
    this.lastTransport = null;
    this.ended = false;
    this._config = config;
    this._hooks = hooks;
    this._expiry = null;
    this._stopHeartbeat = () => {};
  }

  /** The current connection's transport, null while there is none. */
  get transport() {
    return this.link ? this.link.transport : null;
  }

  /**
   * Makes `link` the session's connection. An older one is cut without
   * `$close` (a half-open socket, an abandoned poll: the client has moved on).
   * `$hello` goes first, then every unacknowledged envelope (the replay), before anything new.
   * @param hello `{ resumed, ack, reason? }` from the registry's resume decision
   */
  attach(link, hello) {
    if (this.link) this.drop('replaced by a newer connection');
    clearTimeout(this._expiry);
    this.link = link;
    this.lastTransport = link.transport;
    this.receivedAt = Date.now();
    this._deliver({ type: '$hello', data: { sid: this.sid, heartbeat: this._config.heartbeat, ...hello } });
    for (const env of this.retained.envelopes()) this._deliver(env);
    // The replay may have been too much for a socket that is not reading: then the link is gone already.
    if (this.link !== link) return;
    const { heartbeat, heartbeatTimeout } = this._config;
    this._stopHeartbeat = startHeartbeat(this, { interval: heartbeat, timeout: heartbeatTimeout });
  }

  /**
   * The connection behind `link` ended by itself (socket closed, stream
   * ended, polls stopped). The session waits `retain.time` for a resume. A
   * link that is no longer current is ignored.
   */
  detach(link, why) {
    if (link !== this.link || this.ended) return;
    this.link = null;
    this._stopHeartbeat();
    this._hooks.log(`connection over ${link.transport} lost: ${why}`);
    this._expiry = setTimeout(() => this._hooks.expired(this), this._config.retain.time);
    this._expiry.unref();
  }

  /** Cuts the current connection without `$close`, so the client reconnects and resumes (a gap, silence, not reading). */
  drop(why) {
    const link = this.link;
    if (!link) return;
    this.detach(link, why);
    link.close({ graceful: false });
  }

  /** Something arrived from the client: it is alive. */
  received() {
    this.receivedAt = Date.now();
  }

  /** The client has every `seq` ≤ `n`: those need not be kept for a replay. */
  acked(n) {
    this.retained.ack(n);
  }

  /**
   * Judges an incoming application envelope by its `seq` (§5.1): 'deliver'
   * (and it becomes `lastIn`), 'duplicate' or 'gap'. Envelopes without `seq`
   * come from clients that do not number theirs and are always delivered.
   */
  accept(seq) {
    if (seq === undefined) return 'deliver';
    if (seq <= this.lastIn) return 'duplicate';
    if (seq > this.lastIn + 1) return 'gap';
    this.lastIn = seq;
    return 'deliver';
  }

  /** Sends an application envelope, numbered within this session and kept until acknowledged. `extra`: `re`, `error`. */
  send(type, data, extra) {
    const env = { type, data, ...extra, seq: ++this.seqOut };
    this.retained.push(env);
    this._deliver(env);
  }

  /** Answers a request (§5.5) with `{ data }` or `{ error: { code, message } }`. */
  reply(request, { data, error }) {
    if (error) this.send(request.type, undefined, { error, re: request.id });
    else this.send(request.type, data, { re: request.id });
  }

  /** Sends a protocol (`$`) envelope to the current connection, if any; those carry no `seq` and are not kept. */
  sendProtocol(type, data) {
    this._deliver({ type, data });
  }

  /** `$ack` with the highest client `seq` delivered (§5.2). */
  sendAck() {
    this._deliver({ type: '$ack', ack: this.lastIn });
  }

  /**
   * Ends the session for good, and the registry forgets it. With `farewell`
   * (`{ code, reason, reconnect? }`) the client is sent `$close` first and the
   * connection is closed gracefully so the `$close` gets through; without it
   * the connection is just dropped. Resolves when the transport is done.
   */
  end(why, farewell) {
    if (this.ended) return Promise.resolve();
    if (farewell) this.sendProtocol('$close', farewell);
    this.ended = true;
    this._stopHeartbeat();
    clearTimeout(this._expiry);
    this._hooks.ended(this, why, !!farewell);
    const link = this.link;
    this.link = null;
    return link ? link.close({ graceful: !!farewell, code: farewell?.code, reason: farewell?.reason }) : Promise.resolve();
  }

  /** What `srv.sessionInfo()` shows. */
  info() {
    const { sid, transport, lastIn, seqOut } = this;
    return { sid, transport, connected: !!this.link, lastIn, seqOut, retained: this.retained.length, overflowed: this.retained.overflowed };
  }

  _deliver(envelope) {
    if (!this.ended && this.link) this.link.deliver(envelope);
  }
}
