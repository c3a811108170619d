import type { RealtimeError } from './errors';
import type { Resolved } from './options';

/** What {@link Retry} asks of the client. */
export interface RetryHost {
  /** Start an attempt now. */
  _attempt(): void;
  /** Tell the application: next attempt in `delay` ms (`Infinity`: when back online). */
  _reconnecting(e: { attempt: number; delay: number; error: RealtimeError }): void;
  /** The policy said stop, after `attempts` attempts. */
  _giveUp(error: RealtimeError, attempts: number): void;
  /** The network came back while open: check the connection. */
  _probe(): void;
  _state(): string;
}

/**
 * When to try again: after a backoff delay per the policy, never while the
 * browser is offline (attempts then are certain to fail), and at once when it
 * comes back online.
 */
export class Retry {
  private _attempt = 0;
  private _timer: unknown;
  /** Offline, and waiting for `online` before the next attempt. */
  private _waiting = false;
  private _offline = false;
  private _why?: RealtimeError;

  constructor(
    private _o: Resolved,
    private _h: RetryHost,
  ) {}

  /** Starts or stops listening to the browser's `online`/`offline` events. */
  _listen(on: boolean): void {
    const n = this._o._network;
    if (n) for (const type of ['online', 'offline']) n[on ? 'addEventListener' : 'removeEventListener'](type, this._net);
  }

  /** A connection lasted: the next failure starts the backoff over. */
  _succeeded(): void {
    this._attempt = 0;
  }

  /** After a failure: schedule the next attempt, wait for the network, or give up. */
  _schedule(error: RealtimeError): void {
    this._why = error;
    if (this._offline) return this._wait();
    const attempt = ++this._attempt;
    const delay = this._o._retry({ attempt, error });
    if (delay == null) return this._h._giveUp(error, attempt - 1);
    this._h._reconnecting({ attempt, delay, error });
    this._timer = this._o._timers.setTimeout(() => {
      this._timer = undefined;
      this._h._attempt();
    }, delay);
  }

  _cancel(): void {
    this._o._timers.clearTimeout(this._timer);
    this._timer = undefined;
    this._waiting = false;
  }

  private _wait(): void {
    this._cancel();
    this._waiting = true;
    this._h._reconnecting({ attempt: this._attempt + 1, delay: Infinity, error: this._why! });
  }

  private _net = (e: Event): void => {
    const off = (this._offline = e.type == 'offline');
    const state = this._h._state();
    // Browsers keep a dead connection "open" for a while after the network returns: check it at once.
    if (state == 'open') return off ? undefined : this._h._probe();
    if (state != 'reconnecting') return;
    if (off) return this._timer !== undefined ? this._wait() : undefined;
    // Back online: try now rather than at the end of a long backoff delay.
    if (this._waiting || this._timer !== undefined) {
      this._cancel();
      this._h._attempt();
    }
  };
}
