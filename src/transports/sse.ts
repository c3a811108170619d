import { TransportError } from '../errors';
import { decode } from '../protocol';
import type { HttpSender } from './http-sender';
import { BaseTransport } from './transport';

/** Server → client as an EventSource on `{base}/sse`; client → server as POSTs to `{base}/send`. */
export class SseTransport extends BaseTransport {
  get name() {
    return 'sse' as const;
  }
  private _es?: EventSource;
  private _out?: HttpSender;

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { _EventSource: Ctor, _fetch: fetch } = this._ctx._platform;
      if (!Ctor || !fetch) return reject(new TransportError(this.name, 'EventSource or fetch is not available here'));
      let opened = false;
      this._out = this._sender(fetch);
      const es = (this._es = new Ctor(this._url('/sse'), { withCredentials: this._ctx._credentials }));
      es.onopen = () => {
        opened = true;
        resolve();
      };
      es.onmessage = (e) => this._receive(decode(e.data));
      // EventSource would reconnect by itself, forever, even after the server is done; the client owns reconnection.
      es.onerror = () => {
        if (opened) return this._fail(new TransportError(this.name, 'stream lost'));
        this.close();
        reject(new TransportError(this.name, 'refused or unreachable'));
      };
    });
  }

  send(text: string): void {
    this._out?._send(text);
  }

  protected _stop(farewell?: string): void {
    if (this._es) {
      this._es.onopen = this._es.onmessage = this._es.onerror = null;
      this._es.close();
    }
    this._out?._stop(farewell);
  }
}
