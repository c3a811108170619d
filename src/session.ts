import type { Hello } from './protocol';
import type { Timers } from './platform';

/** An application message of ours, kept until the server acknowledges it. */
export interface Outgoing {
  seq: number;
  type: string;
  /** `data`, already JSON. */
  json?: string;
  /** Request id, for a request. */
  id?: string;
}

/** What the application is told when a session could not be resumed. */
export interface Reset {
  /** The server's reason: `unknown_session`, `expired`, `overflow`… */
  reason: string;
  /** The session id that was lost. */
  previous: string;
  /** How many of our unacknowledged messages were sent again in the new session. */
  resent: number;
}

/** Unacknowledged deliveries after which an `$ack` goes out at once, and the delay otherwise. */
const ACK_COUNT = 32;
const ACK_DELAY = 1000;

/**
 * The client's half of a session (PROTOCOL.md section 5): numbers what we
 * send and keeps it until acknowledged; delivers what the server sends once
 * and in order; knows what to ask for when resuming.
 */
export class Session {
  _sid = '';
  /** The highest server `seq` delivered to the application. */
  _last = 0;
  /** Kept until acknowledged: all of it is on the wire whenever a connection is open. */
  _out: Outgoing[] = [];
  private _seq = 0;
  /** The `_last` the server was last told of. */
  private _reported = 0;
  /** Whether the server acknowledges; if not, nothing is kept once sent. */
  private _acks = true;
  private _timer: unknown;

  constructor(
    private _t: Timers,
    private _sendAck: () => void,
  ) {}

  /** The parameters of a connecting request: resume the session, if there is one. */
  _query(): string {
    return 'v=1' + (this._sid ? '&sid=' + encodeURIComponent(this._sid) + '&last=' + this._last : '');
  }

  _add(type: string, json?: string, id?: string): Outgoing {
    const m = { seq: ++this._seq, type, json, id };
    this._out.push(m);
    return m;
  }

  /** Everything kept went out on a new connection; a server that never acknowledges gets no second copy. */
  _flushed(): void {
    if (!this._acks) this._out = [];
  }

  /** The server received everything up to `n`. */
  _ack(n: unknown): void {
    if (typeof n != 'number') return;
    let i = 0;
    while (i < this._out.length && this._out[i]!.seq <= n) i++;
    if (i) this._out.splice(0, i);
  }

  /** Takes the handshake; returns what to tell the application if the session was not resumed. */
  _hello(h: Hello): Reset | undefined {
    const previous = this._sid;
    this._acks = h.ack !== undefined;
    // On a reset, `ack` is still about the old session's numbers: apply it before renumbering.
    this._ack(h.ack);
    this._reported = this._last;
    if (h.resumed && h.sid == previous) return;
    this._sid = h.sid;
    this._last = this._reported = this._seq = 0;
    for (const m of this._out) m.seq = ++this._seq;
    if (previous) return { reason: h.reason || 'unknown_session', previous, resent: this._out.length };
  }

  /** Judges an application envelope's `seq`: 1 deliver it, 0 a duplicate (drop it), -1 a gap (drop the connection). */
  _accept(seq: unknown): number {
    if (typeof seq != 'number') return 1;
    if (seq <= this._last) return 0;
    if (seq > this._last + 1) return -1;
    this._last = seq;
    if (seq - this._reported >= ACK_COUNT) this._sendAck();
    else if (this._timer === undefined)
      this._timer = this._t.setTimeout(() => {
        this._timer = undefined;
        if (this._last > this._reported) this._sendAck();
      }, ACK_DELAY);
    return 1;
  }

  /** The `ack` for an envelope about to be sent; the server will know it. */
  _told(): number {
    this._stop();
    return (this._reported = this._last);
  }

  _stop(): void {
    // Called for every envelope sent: clear only when an `$ack` is actually pending.
    if (this._timer === undefined) return;
    this._t.clearTimeout(this._timer);
    this._timer = undefined;
  }
}
