// The `ws` package's WebSocket, made to behave like a browser's where the
// client relies on it: `ws` is an EventEmitter, so an `error` event with no
// listener (a refused handshake, close() while connecting) would throw out of
// the event loop, where a browser only fires an event nobody needs to handle.
import WebSocket from 'ws';

export class NodeWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.on('error', () => {});
  }
}
