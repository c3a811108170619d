// One client session: its id, its outbound sequence numbers, and the link to
// whichever transport carries it. Transports differ only in their link
// (`deliver(envelope)`, `close({ graceful, code, reason })`); everything the
// protocol says about a session lives here once.
import { startHeartbeat } from './heartbeat.js';

export class Session {
  /**
   * @param sid unguessable id (see sessions.js)
   * @param transport 'websocket' | 'sse' | 'long-polling'
   * @param config resolved server options (heartbeat, heartbeatTimeout)
   * @param onEnd called once when the session ends: `(session, why, saidClose)`
   */
  constructor(sid, transport, config, onEnd) {
    this.sid = sid;
    this.transport = transport;
    this.since = Date.now();
    this.receivedAt = this.since;
    /** Highest `seq` received from the client (section 5); kept for a later resume revision and for stats. */
    this.lastSeqIn = 0;
    this.ended = false;
    this._seq = 0;
    this._config = config;
    this._onEnd = onEnd;
    this._link = null;
    this._stopHeartbeat = () => {};
  }

  /** Binds the transport's link, then sends `$hello` at once and starts the heartbeat. */
  open(link) {
    this._link = link;
    const { heartbeat, heartbeatTimeout } = this._config;
    this.sendProtocol('$hello', { sid: this.sid, heartbeat, resumed: false });
    this._stopHeartbeat = startHeartbeat(this, { interval: heartbeat, timeout: heartbeatTimeout });
  }

  /** Something arrived from the client: it is alive. */
  received() {
    this.receivedAt = Date.now();
  }

  /** Sends an application envelope, numbered within this session. */
  send(type, data) {
    this._deliver({ type, data, seq: ++this._seq });
  }

  /** Sends a protocol (`$`) envelope; those carry no `seq`. */
  sendProtocol(type, data) {
    this._deliver({ type, data });
  }

  /**
   * Ends the session. With `farewell` (`{ code, reason, reconnect? }`) the
   * client is sent `$close` first and the transport is closed gracefully so the
   * `$close` gets through; without it the transport is just dropped, which the
   * client reads as "reconnect". Resolves when the transport is done.
   */
  end(why, farewell) {
    if (this.ended) return Promise.resolve();
    if (farewell) this.sendProtocol('$close', farewell);
    this.ended = true;
    this._stopHeartbeat();
    this._onEnd(this, why, !!farewell);
    const link = this._link;
    return link ? link.close({ graceful: !!farewell, code: farewell?.code, reason: farewell?.reason }) : Promise.resolve();
  }

  _deliver(envelope) {
    if (!this.ended && this._link) this._link.deliver(envelope);
  }
}
