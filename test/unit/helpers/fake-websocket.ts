// A hand-driven WebSocket for tests that need exact control over the socket's
// life (one that never opens, one refused with 1006 before open...). Each call
// of makeFakeWebSocket() gives a fresh class with its own registry of instances.

export interface FakeWebSocket {
  readonly url: string;
  readyState: number;
  onopen: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  /** Text frames the client sent, in order. */
  readonly sent: string[];
  /** The codes of every close() call the client made. */
  readonly closeCalls: (number | undefined)[];
  send(text: string): void;
  close(code?: number, reason?: string): void;
  // Test controls: what the network does.
  /** The upgrade succeeded. */
  accept(): void;
  /** The server sends a text frame; a non-string is JSON-encoded first. */
  receive(frame: unknown): void;
  /** Accepts and sends `$hello`; without `ack`, from a server that does not acknowledge (PROTOCOL.md 5.3). */
  hello(data?: HelloData): void;
  /** The connection ends without the client asking (refused before open, or lost after). */
  drop(code?: number, reason?: string): void;
  /** Every envelope the client sent, with batches flattened. */
  envelopes(): Envelope[];
}

export interface Envelope {
  type: string;
  data?: any;
  seq?: number;
  ack?: number;
  id?: string;
  re?: string;
  [k: string]: unknown;
}

/** What a test may put in a `$hello`: `sid` defaults to 'sid-1', `heartbeat` to 25000, `resumed` to false. */
export type HelloData = Partial<{ sid: string; heartbeat: number; resumed: boolean; ack: number; reason: string }>;

export interface FakeWebSocketClass {
  new (url: string): FakeWebSocket;
  instances: FakeWebSocket[];
  /** The newest instance (throws if none). */
  last(): FakeWebSocket;
}

export function makeFakeWebSocket(): FakeWebSocketClass {
  const instances: FakeWebSocket[] = [];
  class WS implements FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    static instances = instances;
    static last(): FakeWebSocket {
      const ws = instances[instances.length - 1];
      if (!ws) throw new Error('no WebSocket was created');
      return ws;
    }
    readyState = 0;
    onopen: FakeWebSocket['onopen'] = null;
    onmessage: FakeWebSocket['onmessage'] = null;
    onclose: FakeWebSocket['onclose'] = null;
    onerror: FakeWebSocket['onerror'] = null;
    sent: string[] = [];
    closeCalls: (number | undefined)[] = [];
    constructor(public url: string) {
      instances.push(this);
    }
    send(text: string): void {
      if (this.readyState != 1) throw new Error('InvalidStateError: send() on a socket that is not open');
      this.sent.push(text);
    }
    close(code?: number): void {
      this.closeCalls.push(code);
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.onclose?.({ code: code ?? 1005, reason: '', wasClean: true });
    }
    accept(): void {
      this.readyState = 1;
      this.onopen?.({});
    }
    receive(frame: unknown): void {
      if (this.readyState != 1) throw new Error('cannot receive on a socket that is not open');
      this.onmessage?.({ data: typeof frame == 'string' ? frame : JSON.stringify(frame) });
    }
    hello(data: HelloData = {}): void {
      if (this.readyState == 0) this.accept();
      this.receive({ type: '$hello', data: { sid: 'sid-1', heartbeat: 25000, resumed: false, ...data } });
    }
    drop(code = 1006, reason = ''): void {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code, reason, wasClean: false });
    }
    envelopes(): Envelope[] {
      return this.sent.flatMap((s) => JSON.parse(s));
    }
  }
  return WS as unknown as FakeWebSocketClass;
}
