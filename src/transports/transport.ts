import type { ProtocolError, TransportError } from '../errors';
import type { Envelope } from '../protocol';
import type { Platform } from '../platform';
import { HttpSender } from './http-sender';

export type TransportName = 'websocket' | 'sse' | 'long-polling';

/** What a transport needs to reach the server. */
export interface TransportContext {
  /** The realtime base URL, without a trailing slash or query: `https://host/realtime`. */
  _base: string;
  /** The application's query parameters for every request, encoded, without `?`: `token=…` (may be empty). */
  _query: string;
  /** The parameters of a connecting request: `v=1`, and what the session layer adds to resume. */
  _connect: string;
  /** How long an HTTP POST may wait for its answer, in ms. */
  _sendTimeout: number;
  /** Send cookies on cross-origin SSE and HTTP requests too. */
  _credentials: boolean;
  _platform: Platform;
}

/**
 * One way to carry envelopes. `open()` resolves when the channel works and
 * rejects with a TransportError if it fails before that; afterwards a failure
 * arrives once through `onclose`. After `close()` no callback fires again.
 */
export interface Transport {
  readonly name: TransportName;
  open(): Promise<void>;
  /** Sends one encoded envelope. */
  send(text: string): void;
  /** Closes for good; `farewell` (an encoded envelope) is sent first, best effort; `code` 4000 says the client gave up on it. */
  close(farewell?: string, code?: number): void;
  onmessage: (envelope: Envelope) => void;
  onerror: (error: ProtocolError | Error) => void;
  onclose: (error: TransportError) => void;
}

export type TransportFactory = (context: TransportContext) => Transport;

/** Callbacks start as no-ops so a transport never has to check them. */
export abstract class BaseTransport implements Transport {
  /** A getter in each transport (a field would cost each a constructor in the bundle). */
  abstract readonly name: TransportName;
  onmessage: Transport['onmessage'] = () => {};
  onerror: Transport['onerror'] = () => {};
  onclose: Transport['onclose'] = () => {};
  /** Set once the transport is closed, by the client or by a failure. */
  protected _done = false;
  /** The session id, learned from `$hello` on the way through; HTTP transports address their requests with it. */
  protected _sid = '';

  constructor(protected _ctx: TransportContext) {}

  abstract open(): Promise<void>;
  abstract send(text: string): void;

  close(farewell?: string, code?: number): void {
    if (this._done) return;
    this._done = true;
    this._stop(farewell, code);
  }

  protected abstract _stop(farewell?: string, code?: number): void;

  /** Delivers what one frame, event or response carried, in order. */
  protected _receive(items: (Envelope | ProtocolError)[]): void {
    for (const item of items) {
      if (this._done) return;
      if (item instanceof Error) this.onerror(item);
      else {
        if (item.type == '$hello' && item.data) this._sid = (item.data as { sid: string }).sid;
        this.onmessage(item);
      }
    }
  }

  /** Reports a failure after open, once, and shuts the transport down. */
  protected _fail(error: TransportError): void {
    if (this._done) return;
    this.close();
    this.onclose(error);
  }

  /** The client → server half of the HTTP transports: POSTs to `{base}/send`. */
  protected _sender(fetch: typeof globalThis.fetch): HttpSender {
    const c = this._ctx;
    return new HttpSender(this.name, fetch, () => this._url('/send', true), (e) => this._fail(e), (e) => this.onerror(e), c._platform._timers, c._sendTimeout, this._cred());
  }

  /** The `credentials` of a fetch: cookies cross-origin only when asked for. */
  protected _cred(): RequestCredentials {
    return this._ctx._credentials ? 'include' : 'same-origin';
  }

  /** The URL of a connecting request, or with `inSession` of a later one that names the session. */
  protected _url(path: string, inSession?: boolean): string {
    const c = this._ctx;
    return c._base + path + '?' + (inSession ? 'sid=' + encodeURIComponent(this._sid) : c._connect) + (c._query && '&' + c._query);
  }
}
