import { ProtocolError, TransportError } from '../errors';
import { decode } from '../protocol';
import { BaseTransport } from './transport';

/** Envelopes as WebSocket text frames on `{base}/ws`. */
export class WebSocketTransport extends BaseTransport {
  get name() {
    return 'websocket' as const;
  }
  private _ws?: WebSocket;

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const Ctor = this._ctx._platform._WebSocket;
      if (!Ctor) return reject(new TransportError(this.name, 'WebSocket is not available here'));
      let opened = false;
      const ws = (this._ws = new Ctor(this._url('/ws').replace(/^http/, 'ws')));
      ws.onopen = () => {
        opened = true;
        resolve();
      };
      ws.onmessage = (e) =>
        this._receive(typeof e.data == 'string' ? decode(e.data) : [new ProtocolError('binary frame ignored')]);
      // Browsers tell nothing useful in `error`; the `close` that always follows has the code.
      // (A listener must exist all the same: Node's `ws` throws on an unheard error.)
      ws.onerror = () => {};
      ws.onclose = (e) => {
        const why = 'closed with code ' + e.code + (e.reason ? ' (' + e.reason + ')' : '');
        if (!opened) {
          this.close();
          reject(new TransportError(this.name, (e.code == 1006 ? 'refused or unreachable, ' : 'refused, ') + why, e.code));
        } else this._fail(new TransportError(this.name, 'connection lost, ' + why, e.code));
      };
    });
  }

  send(text: string): void {
    // A socket that is closing drops what is sent; the close event that follows reports the loss.
    if (this._ws && this._ws.readyState == 1) this._ws.send(text);
  }

  protected _stop(farewell?: string, code = 1000): void {
    const ws = this._ws;
    if (!ws) return;
    if (farewell) this.send(farewell);
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.onerror = () => {};
    // Closing a socket still CONNECTING matters: Chromium queues every other socket to the same host behind it.
    if (ws.readyState < 2) ws.close(code);
  }
}
