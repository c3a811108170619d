// A hand-driven EventSource (happy-dom has none). Each call of
// makeFakeEventSource() gives a fresh class with its own registry of instances.
import type { HelloData } from './fake-websocket';

export interface FakeEventSource {
  readonly url: string;
  readonly init?: { withCredentials?: boolean };
  readyState: number;
  onopen: ((e: unknown) => void) | null;
  onmessage: ((e: { data: string }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  /** Whether the client called close(). */
  closed: boolean;
  close(): void;
  // Test controls: what the network does.
  /** The response started (200, text/event-stream). */
  open(): void;
  /** The server sends one event; a non-string is JSON-encoded first. */
  emit(data: unknown): void;
  /** Opens and sends `$hello`; without `ack`, from a server that does not acknowledge. */
  hello(data?: HelloData): void;
  /** A network error, or a refusal before open; like a browser, the source then tries to reconnect by itself (readyState CONNECTING). */
  fail(): void;
}

export interface FakeEventSourceClass {
  new (url: string): FakeEventSource;
  instances: FakeEventSource[];
  last(): FakeEventSource;
}

export function makeFakeEventSource(): FakeEventSourceClass {
  const instances: FakeEventSource[] = [];
  class ES implements FakeEventSource {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSED = 2;
    static instances = instances;
    static last(): FakeEventSource {
      const es = instances[instances.length - 1];
      if (!es) throw new Error('no EventSource was created');
      return es;
    }
    readyState = 0;
    onopen: FakeEventSource['onopen'] = null;
    onmessage: FakeEventSource['onmessage'] = null;
    onerror: FakeEventSource['onerror'] = null;
    closed = false;
    constructor(
      public url: string,
      public init?: { withCredentials?: boolean },
    ) {
      instances.push(this);
    }
    close(): void {
      this.closed = true;
      this.readyState = 2;
    }
    open(): void {
      if (this.closed) throw new Error('EventSource is closed');
      this.readyState = 1;
      this.onopen?.({});
    }
    emit(data: unknown): void {
      if (this.readyState != 1) throw new Error('cannot emit on an EventSource that is not open');
      this.onmessage?.({ data: typeof data == 'string' ? data : JSON.stringify(data) });
    }
    hello(data: HelloData = {}): void {
      if (this.readyState == 0) this.open();
      this.emit({ type: '$hello', data: { sid: 'sid-1', heartbeat: 25000, resumed: false, ...data } });
    }
    fail(): void {
      if (this.closed) return;
      this.readyState = 0;
      this.onerror?.({});
    }
  }
  return ES as unknown as FakeEventSourceClass;
}
