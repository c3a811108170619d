import { TransportError } from '../errors';
import { decode } from '../protocol';
import type { HttpSender } from './http-sender';
import { BaseTransport } from './transport';

/**
 * Server → client by GET `{base}/poll`, held by the server until it has
 * something (or ~25 s) and sent again as soon as it returns; client → server by
 * POST `{base}/send`. The first poll is answered at once with `$hello`.
 */
export class LongPollingTransport extends BaseTransport {
  get name() {
    return 'long-polling' as const;
  }
  private _abort?: AbortController;
  private _out?: HttpSender;

  open(): Promise<void> {
    const { _fetch: fetch } = this._ctx._platform;
    if (!fetch) return Promise.reject(new TransportError(this.name, 'fetch is not available here'));
    this._out = this._sender(fetch);
    return this._poll(fetch, this._url('/poll')).then(() => {
      // Deliver first, then poll again: `$hello` names the session the next poll must carry.
      if (!this._sid) throw new TransportError(this.name, 'first poll carried no $hello');
      this._loop(fetch);
    });
  }

  send(text: string): void {
    this._out?._send(text);
  }

  protected _stop(farewell?: string): void {
    this._abort?.abort();
    this._out?._stop(farewell);
  }

  private _loop(fetch: typeof globalThis.fetch): void {
    if (this._done) return;
    this._poll(fetch, this._url('/poll', true)).then(
      () => this._loop(fetch),
      (e: TransportError) => this._fail(e),
    );
  }

  /** One poll: resolves after its envelopes were delivered, rejects with a TransportError. */
  private _poll(fetch: typeof globalThis.fetch, url: string): Promise<void> {
    const abort = (this._abort = new AbortController());
    return fetch(url, { signal: abort.signal, cache: 'no-store', credentials: this._cred() })
      .then((res) => {
        if (!res.ok) throw new TransportError(this.name, 'poll refused with HTTP ' + res.status, res.status);
        return res.text();
      })
      .then(
        (text) => {
          if (!this._done) this._receive(decode(text));
        },
        (e) => {
          throw e instanceof TransportError ? e : new TransportError(this.name, 'poll failed', 0, e);
        },
      );
  }
}
