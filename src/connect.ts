import { ConnectError, RealtimeError, TransportError } from './errors';
import { HELLO, readHello, type Hello } from './protocol';
import type { Timers } from './platform';
import type { Transport, TransportName } from './transports/transport';

/**
 * The fallback loop: tries each transport in order until one completes the
 * handshake (`$hello`) within its connect timeout, and collects why each one
 * failed so the final error tells the whole story.
 */
export class Connector {
  private _off = false;
  private _cancelTry = () => {};

  constructor(
    private _names: TransportName[],
    private _make: (name: TransportName) => Transport,
    private _timeout: (name: TransportName) => number,
    private _timers: Timers,
    private _error: (e: Error) => void,
  ) {}

  /**
   * Resolves with the first transport to open. `onOpen` runs synchronously on
   * `$hello`, so it can take over the transport before anything else it carried is delivered.
   */
  async _run(onOpen: (t: Transport, hello: Hello, failed: TransportError[]) => void): Promise<Transport> {
    const errors: TransportError[] = [];
    for (const name of this._names) {
      if (this._off) break;
      try {
        return await this._try(name, (t, hello) => onOpen(t, hello, errors));
      } catch (e) {
        errors.push(e as TransportError);
      }
    }
    throw this._off ? new RealtimeError('connect cancelled') : new ConnectError(errors);
  }

  /** Stops trying, and closes the transport being tried. */
  _cancel(): void {
    this._off = true;
    this._cancelTry();
  }

  private _try(name: TransportName, onOpen: (t: Transport, hello: Hello) => void): Promise<Transport> {
    return new Promise((resolve, reject) => {
      const timers = this._timers;
      const ms = this._timeout(name);
      const t = this._make(name);
      let stage = 'no answer';
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        timers.clearTimeout(timer);
        t.close(undefined, e instanceof TransportError ? 4000 : 1000);
        reject(e);
      };
      const timer = timers.setTimeout(() => fail(new TransportError(name, stage + ' within ' + ms + ' ms')), ms);
      this._cancelTry = () => fail(new RealtimeError('cancelled'));
      t.onerror = this._error;
      t.onclose = fail;
      t.onmessage = (env) => {
        // The handshake must come first; anything before it is not from a server that speaks the protocol.
        const hello = env.type == HELLO ? readHello(env) : undefined;
        if (!hello) return fail(new TransportError(name, 'expected $hello, got ' + env.type));
        settled = true;
        timers.clearTimeout(timer);
        this._cancelTry = () => {};
        onOpen(t, hello);
        resolve(t);
      };
      t.open().then(
        () => {
          stage = 'opened, but no $hello';
        },
        // A platform constructor may throw (e.g. `new WebSocket` on a mixed-content page): still this transport's failure.
        (e) => fail(e instanceof TransportError ? e : new TransportError(name, String((e && e.message) || e), undefined, e)),
      );
    });
  }
}
