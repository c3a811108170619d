import type { Timers } from './platform';

/**
 * Sends a ping every `interval` ms and declares the connection dead when
 * nothing at all was received for `interval + timeout` ms.
 *
 * Liveness is judged from the time of the last receipt, not from when a timer
 * fired: a background tab's timers may run a minute late, but its network
 * events still arrive, so a late timer still sees a healthy connection as healthy.
 */
export class Heartbeat {
  private _rx: number;
  private _nextPing: number;
  private _probeBy = Infinity;
  private _timer: unknown;
  private _on = true;

  constructor(
    private _t: Timers,
    private _interval: number,
    private _timeout: number,
    private _ping: () => void,
    private _dead: () => void,
  ) {
    this._rx = _t.now();
    this._nextPing = this._rx + _interval;
    this._arm();
  }

  /** Call on every receipt of anything from the server. */
  _received(): void {
    this._rx = this._t.now();
    this._probeBy = Infinity;
  }

  /** Pings now and expects an answer within `timeout` (after the network comes back, say). */
  _probe(): void {
    this._probeBy = this._t.now() + this._timeout;
    this._nextPing = this._t.now() + this._interval;
    this._ping();
    this._arm();
  }

  _stop(): void {
    this._t.clearTimeout(this._timer);
    this._on = false;
  }

  private _arm(): void {
    this._t.clearTimeout(this._timer);
    if (!this._on) return;
    const deadline = Math.min(this._rx + this._interval + this._timeout, this._probeBy);
    this._timer = this._t.setTimeout(() => this._tick(), Math.max(0, Math.min(this._nextPing, deadline) - this._t.now()));
  }

  private _tick(): void {
    if (!this._on) return;
    const now = this._t.now();
    if (now >= Math.min(this._rx + this._interval + this._timeout, this._probeBy)) return this._dead();
    if (now >= this._nextPing) {
      this._nextPing = now + this._interval;
      this._ping();
    }
    this._arm();
  }
}
