import { ServerError, TransportError } from '../errors';
import type { Timers } from '../platform';
import type { TransportName } from './transport';

/**
 * Client → server over HTTP POST for the SSE and long-polling transports:
 * one POST at a time, and whatever was queued meanwhile goes in the next one
 * as a JSON array, so order is kept and a burst costs few requests. A POST
 * that gets no answer in time ends the transport: the server's pings may
 * still arrive on the stream, so nothing else would notice that nothing goes out.
 */
export class HttpSender {
  private _queue: string[] = [];
  private _busy = false;
  private _abort?: AbortController;
  private _timer: unknown;

  constructor(
    private _name: TransportName,
    private _fetch: typeof fetch,
    private _url: () => string,
    /** A failure that ends the transport. */
    private _fail: (e: TransportError) => void,
    /** A refusal of one batch (400, 413): reported, the transport carries on. */
    private _error: (e: Error) => void,
    private _timers: Timers,
    private _timeout: number,
    private _credentials: RequestCredentials,
  ) {}

  _send(text: string): void {
    this._queue.push(text);
    if (!this._busy) this._flush();
  }

  /** Aborts what is in flight; with `last`, sends it first as a keepalive request that outlives the page. */
  _stop(last?: string): void {
    this._timers.clearTimeout(this._timer);
    if (this._abort) this._abort.abort();
    this._queue = [];
    this._busy = true;
    if (last) this._post('[' + last + ']', true).catch(() => {});
  }

  private _post(body: string, keepalive?: boolean): Promise<Response> {
    return this._fetch(this._url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: this._credentials,
      body,
      keepalive,
      signal: keepalive ? undefined : (this._abort = new AbortController()).signal,
    });
  }

  private _flush(): void {
    const batch = this._queue;
    this._queue = [];
    this._busy = true;
    const t = this._timers;
    this._timer = t.setTimeout(() => {
      this._abort?.abort();
      this._fail(new TransportError(this._name, 'send got no answer within ' + this._timeout + ' ms'));
    }, this._timeout);
    this._post('[' + batch.join(',') + ']').then(
      (res) => {
        t.clearTimeout(this._timer);
        if (this._abort?.signal.aborted) return;
        if (res.status == 404 || res.status >= 500)
          return this._fail(new TransportError(this._name, 'send refused with HTTP ' + res.status, res.status));
        if (!res.ok) this._error(new ServerError('http_' + res.status, 'server refused ' + batch.length + ' message(s) with HTTP ' + res.status));
        this._busy = false;
        if (this._queue.length) this._flush();
      },
      (e) => {
        t.clearTimeout(this._timer);
        if (!this._abort?.signal.aborted) this._fail(new TransportError(this._name, 'send failed', 0, e));
      },
    );
  }
}
