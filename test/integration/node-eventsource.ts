// A minimal EventSource for Node (which has none), over fetch streaming: enough
// for the client's SSE transport. Like the browser's, it fires `open` when
// the response headers arrive and `message` per event; unlike it, it never
// reconnects (the client closes its EventSource on any error anyway).

type Handler<E> = ((event: E) => void) | null;

export class NodeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials = false;
  readyState = 0;
  onopen: Handler<Event> = null;
  onmessage: Handler<MessageEvent> = null;
  onerror: Handler<Event> = null;
  private _abort = new AbortController();

  constructor(url: string | URL) {
    this.url = String(url);
    this._run().catch(() => this._fail());
  }

  close(): void {
    this.readyState = 2;
    this._abort.abort();
  }

  private async _run(): Promise<void> {
    const res = await fetch(this.url, { headers: { accept: 'text/event-stream' }, signal: this._abort.signal, cache: 'no-store' });
    if (this.readyState == 2) return;
    if (res.status != 200 || !(res.headers.get('content-type') || '').startsWith('text/event-stream') || !res.body) {
      res.body?.cancel().catch(() => {});
      return this._fail();
    }
    this.readyState = 1;
    this.onopen?.(new Event('open'));
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data: string[] = [];
    let event = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.readyState == 2) break;
      buffer += value;
      for (;;) {
        const i = buffer.search(/[\r\n]/);
        // A CR at the very end may be the first half of a CRLF split across chunks.
        if (i < 0 || (buffer[i] == '\r' && i == buffer.length - 1)) break;
        const line = buffer.slice(0, i);
        buffer = buffer.slice(buffer[i] == '\r' && buffer[i + 1] == '\n' ? i + 2 : i + 1);
        if (line == '') {
          if (data.length && (event == '' || event == 'message')) this._dispatch(data.join('\n'));
          data = [];
          event = '';
        } else if (line[0] != ':') {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const val = colon < 0 ? '' : line.slice(colon + (line[colon + 1] == ' ' ? 2 : 1));
          if (field == 'data') data.push(val);
          else if (field == 'event') event = val;
        }
      }
    }
    this._fail();
  }

  private _dispatch(data: string): void {
    if (this.readyState == 1) this.onmessage?.(new MessageEvent('message', { data }));
  }

  private _fail(): void {
    if (this.readyState == 2) return;
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}
