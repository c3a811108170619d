import { Connector } from './connect';
import { Emitter } from './emitter';
import { RealtimeError, ServerError, TransportError } from './errors';
import { Heartbeat } from './heartbeat';
import { resolveOptions, type ClientOptions, type Resolved } from './options';
import { CLOSE, encode, ERROR, PING, PONG, toJson, type Envelope, type Hello } from './protocol';
import { LongPollingTransport } from './transports/long-polling';
import { SseTransport } from './transports/sse';
import type { Transport, TransportContext, TransportName } from './transports/transport';
import { WebSocketTransport } from './transports/websocket';

export type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The events of {@link RealtimeClient} and their payloads. */
export interface ClientEvents {
  /** A transport completed the handshake. */
  /** A transport completed the handshake; `failed` says why the transports tried before it did not (empty if none was). */
  open: { transport: TransportName; failed: TransportError[] };
  /** An application message from the server. */
  message: Envelope;
  state: { from: State; to: State };
  /** The transport in use changed. */
  transport: TransportName;
  /** The connection was lost or could not be made; the next attempt starts after `delay` ms (`Infinity`: when the browser is back online). */
  reconnecting: { attempt: number; delay: number; error: RealtimeError };
  /** The client is closed for good: by `close()`, by the server's `$close`, or because reconnection gave up. */
  close: { code?: number; reason?: string };
  error: RealtimeError;
}

/** A connection open this long (ms) counts as a success, and the backoff starts over. */
const STABLE = 5000;

const TRANSPORTS: Record<TransportName, new (c: TransportContext) => Transport> = {
  websocket: WebSocketTransport,
  sse: SseTransport,
  'long-polling': LongPollingTransport,
};

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * A realtime connection that uses the best transport the network allows
 * (WebSocket, else Server-Sent Events, else long polling), reconnects by
 * itself, and watches liveness with heartbeats.
 *
 * @example
 * const client = new RealtimeClient('https://api.example.com/realtime');
 * client.on('message', (m) => console.log(m.type, m.data));
 * await client.connect();
 * client.send('chat', { text: 'hi' });
 */
export class RealtimeClient extends Emitter<ClientEvents> {
  private _state: State = 'idle';
  private _transport: TransportName | null = null;
  private _rtt: number | null = null;
  private _o: Resolved;
  private _t?: Transport;
  private _hb?: Heartbeat;
  private _connector?: Connector;
  /** Bumped by every attempt and by close(); callbacks of an older generation are ignored. */
  private _gen = 0;
  private _attempt = 0;
  /** When the current connection opened; one that lasted reset the backoff. */
  private _since = 0;
  /** Why the client is reconnecting, for a `reconnecting` event fired later. */
  private _why?: RealtimeError;
  private _timer: unknown;
  /** Offline and waiting for `online` before the next attempt. */
  private _waiting = false;
  private _offline = false;
  private _ready?: Deferred;
  private _outbox: [string, string | undefined][] = [];
  private _seq = 0;
  private _types = new Emitter<Record<string, Envelope>>();

  /**
   * @param url The http(s) base URL of the server's realtime endpoint (relative URLs resolve against the page).
   * @throws TypeError if `url` or an option is invalid.
   */
  constructor(url: string, options?: ClientOptions) {
    super();
    this._o = resolveOptions(url, options);
  }

  get state(): State {
    return this._state;
  }
  /** The transport in use, or the last one used while reconnecting. */
  get transport(): TransportName | null {
    return this._transport;
  }
  /** The last measured round-trip time in ms, or null. */
  get rtt(): number | null {
    return this._rtt;
  }

  /**
   * Connects, and resolves when a transport is open. If no transport can
   * connect, rejects with a ConnectError that says what failed on each, and
   * keeps retrying in the background per the `reconnect` option (call `close()` to stop).
   */
  connect(): Promise<void> {
    if (this._state == 'closed') return Promise.reject(new RealtimeError('client is closed'));
    const ready = this._ready || (this._ready = deferred());
    if (this._state == 'open') ready.resolve();
    // Fire-and-forget `connect()` is fine: failures are also reported as events, so don't make them unhandled rejections.
    ready.promise.catch(() => {});
    if (this._state == 'idle') {
      this._net('addEventListener');
      this._setState('connecting');
      this._try();
    }
    return ready.promise;
  }

  /**
   * Sends one message. While connecting or reconnecting it is queued and sent on open.
   * @throws TypeError if `type` is invalid or `data` cannot be carried by JSON (a BigInt, a cycle).
   */
  send(type: string, data?: unknown): void {
    if (typeof type != 'string' || !type || type[0] == '$') throw new TypeError('send: type must be a non-empty string not starting with "$"');
    const json = toJson(data);
    const s = this._state;
    if (s == 'open') return this._transmit(type, json);
    if (s == 'idle' || s == 'closed') throw new RealtimeError('send: client is ' + s + (s == 'idle' ? '; call connect() first' : ''));
    if (this._outbox.length >= this._o.outboxLimit) throw new RealtimeError('send: outbox full (' + this._outbox.length + ' messages waiting)');
    this._outbox.push([type, json]);
  }

  /** Listens to the application messages of one `type`; returns a function that stops listening. */
  onMessage<T = unknown>(type: string, listener: (message: Envelope<T>) => void): () => void {
    return this._types.on(type, listener as (m: Envelope) => void);
  }

  /** Closes for good: stops every timer and request; the state becomes `closed`. */
  close(): void {
    this._end(1000, 'closed by client', true);
  }

  private _setState(to: State): void {
    const from = this._state;
    if (from == to) return;
    this._state = to;
    this._emit('state', { from, to });
  }

  /** One round over the transports, the one that worked last first. */
  private async _try(): Promise<void> {
    const gen = ++this._gen;
    const o = this._o;
    this._connector?.cancel();
    let query: Record<string, string>;
    try {
      query = await o.query();
    } catch (e) {
      return this._failed(gen, new RealtimeError('query option failed', e));
    }
    if (gen != this._gen) return;
    const ctx: TransportContext = { base: o.base, query: new URLSearchParams(query).toString(), connect: 'v=1', platform: o };
    const last = this._transport;
    const names = last && o.transports.indexOf(last) >= 0 ? [last, ...o.transports.filter((n) => n != last)] : o.transports;
    const c = (this._connector = new Connector(names, (n) => new TRANSPORTS[n](ctx), o.timeout, o.timers, (e) => this._error(e as RealtimeError)));
    try {
      await c.run((t, hello, failed) => this._opened(gen, t, hello, failed));
    } catch (e) {
      this._failed(gen, e as RealtimeError);
    }
  }

  private _opened(gen: number, t: Transport, hello: Hello, failed: TransportError[]): void {
    if (gen != this._gen) return t.close();
    const o = this._o;
    this._t = t;
    this._since = o.timers.now();
    this._seq = 0;
    t.onmessage = (env) => this._receive(env);
    t.onclose = (e) => this._lost(e);
    const hb = o.heartbeat;
    if (hb) {
      const interval = hb.interval || hello.heartbeat || 25000;
      this._hb = new Heartbeat(o.timers, interval, hb.timeout, () => this._ping(), () =>
        this._lost(new TransportError(t.name, 'silent for ' + (interval + hb.timeout) + ' ms, presumed dead'), 4000),
      );
    }
    const changed = this._transport != t.name;
    this._transport = t.name;
    if (hb) this._ping();
    // Queued messages go first, so whatever `state`/`open` listeners send comes after them.
    for (const [type, json] of this._outbox.splice(0)) this._transmit(type, json);
    this._setState('open');
    // A listener may have closed the client: then no `open` after its `close`.
    if (changed && gen == this._gen) this._emit('transport', t.name);
    if (gen != this._gen) return;
    this._emit('open', { transport: t.name, failed });
    this._settle();
  }

  private _receive(env: Envelope): void {
    this._hb?.received();
    const d = (env.data || {}) as Record<string, any>;
    switch (env.type) {
      case PING:
        return this._t?.send(encode(PONG, toJson(env.data)));
      case PONG:
        if (typeof d.t == 'number') this._rtt = Math.max(0, this._o.timers.now() - d.t);
        return;
      case CLOSE:
        if (d.reconnect) return this._lost(new TransportError(this._t!.name, 'server restarting: ' + d.reason, d.code));
        return this._end(d.code, d.reason, false);
      case ERROR:
        return this._error(new ServerError(String(d.code || 'error'), String(d.message || d.code || 'server error')));
    }
    if (env.type[0] == '$') return; // a protocol envelope this version does not know; ignore it, as the protocol says
    this._emit('message', env);
    this._types._emit(env.type, env);
  }

  private _transmit(type: string, json: string | undefined): void {
    this._t!.send(encode(type, json, ++this._seq));
  }

  private _ping(): void {
    this._t?.send(encode(PING, '{"t":' + this._o.timers.now() + '}'));
  }

  private _error(e: RealtimeError): void {
    this._emit('error', e);
  }

  /** Detaches the current transport and its heartbeat; returns the transport. */
  private _drop(): Transport | undefined {
    const t = this._t;
    this._hb?.stop();
    this._hb = this._t = undefined;
    return t;
  }

  /** An open connection was lost: close what is left of it (with `code` if the client gave up on it) and reconnect. */
  private _lost(error: TransportError, code?: number): void {
    this._drop()?.close(undefined, code);
    this._ready = undefined;
    // A connection that lasted was a success: start the backoff over. One that dropped at once was not,
    // or a server that accepts and then drops every connection would be hammered at the shortest delay.
    if (this._o.timers.now() - this._since >= STABLE) this._attempt = 0;
    this._retry(error);
  }

  /** A whole round of attempts failed. */
  private _failed(gen: number, error: RealtimeError): void {
    if (gen != this._gen) return;
    this._settle(error);
    this._retry(error);
  }

  private _retry(error: RealtimeError): void {
    this._setState('reconnecting');
    this._why = error;
    if (this._offline) return this._wait();
    const attempt = ++this._attempt;
    const delay = this._o.retry({ attempt, error });
    if (delay == null) {
      this._error(error);
      return this._end(undefined, 'gave up reconnecting after ' + (attempt - 1) + ' attempt(s): ' + error.message, false);
    }
    this._emit('reconnecting', { attempt, delay, error });
    const gen = this._gen;
    this._timer = this._o.timers.setTimeout(() => {
      this._timer = undefined;
      if (gen == this._gen) this._try();
    }, delay);
  }

  /** Attempts made while the browser says it is offline are certain to fail: wait for `online` instead. */
  private _wait(): void {
    this._o.timers.clearTimeout(this._timer);
    this._timer = undefined;
    this._waiting = true;
    this._emit('reconnecting', { attempt: this._attempt + 1, delay: Infinity, error: this._why! });
  }

  private _onNetwork = (e: Event): void => {
    const off = (this._offline = e.type == 'offline');
    // Browsers keep a dead connection "open" for a while after the network returns: check it at once.
    if (this._state == 'open') return off ? undefined : this._hb?.probe();
    if (this._state != 'reconnecting') return;
    if (off) return this._timer !== undefined ? this._wait() : undefined;
    // Back online: the waiting is over, try now rather than at the end of a long backoff delay.
    if (this._waiting || this._timer !== undefined) {
      this._o.timers.clearTimeout(this._timer);
      this._timer = undefined;
      this._waiting = false;
      this._try();
    }
  };

  private _net(method: 'addEventListener' | 'removeEventListener'): void {
    const n = this._o.network;
    if (n) for (const type of ['online', 'offline']) n[method](type, this._onNetwork);
  }

  private _end(code: number | undefined, reason: string | undefined, farewell: boolean): void {
    if (this._state == 'closed') return;
    this._gen++;
    this._o.timers.clearTimeout(this._timer);
    this._timer = undefined;
    this._connector?.cancel();
    this._drop()?.close(farewell ? encode(CLOSE, '{"code":1000}') : undefined);
    this._net('removeEventListener');
    this._setState('closed');
    const unsent = this._outbox.splice(0).length;
    this._settle(new RealtimeError('client closed' + (reason ? ': ' + reason : '')));
    if (unsent) this._error(new RealtimeError(unsent + ' queued message(s) not sent: the client closed'));
    this._emit('close', { code, reason });
  }

  /** Resolves (or with an error rejects) the promise of `connect()`. */
  private _settle(error?: Error): void {
    const r = this._ready;
    if (!r) return;
    if (error) {
      this._ready = undefined;
      r.reject(error);
    } else r.resolve();
  }
}

function deferred(): Deferred {
  const d = {} as Deferred;
  d.promise = new Promise<void>((resolve, reject) => {
    d.resolve = resolve;
    d.reject = reject;
  });
  return d;
}
