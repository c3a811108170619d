import { Connector } from './connect';
import { Emitter } from './emitter';
import { RealtimeError, serverError, TransportError } from './errors';
import { Heartbeat } from './heartbeat';
import { ms, resolveOptions, type ClientOptions, type Resolved } from './options';
import { ACK, check, CLOSE, encode, ERROR, PING, PONG, toJson, type Envelope, type Hello } from './protocol';
import { deferred, type Deferred } from './deferred';
import { Requests } from './requests';
import { Retry } from './retry';
import { Session, type Outgoing } from './session';
import { TRANSPORTS } from './transports';
import type { Transport, TransportContext, TransportName } from './transports/transport';
import type { ClientEvents, State } from './events';

/** A connection open this long (ms) counts as a success, and the backoff starts over. */
const STABLE = 5000;
/** How long (ms) after a fallback reconnects keep starting with the transport that worked rather than the first choice. */
const STICKY = 300000;


/**
 * A realtime connection that uses the best transport the network allows
 * (WebSocket, else Server-Sent Events, else long polling), reconnects by
 * itself, watches liveness with heartbeats, and resumes its session so that
 * no message is lost or delivered twice.
 *
 * @example
 * const client = new RealtimeClient('https://api.example.com/realtime');
 * client.on('message', (m) => console.log(m.type, m.data));
 * await client.connect();
 * client.send('chat', { text: 'hi' });
 * const sum = await client.request('sum', [1, 2]);
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
  /** When the current connection opened; one that lasted resets the backoff. */
  private _since = 0;
  /** When the client last had to fall back from its first choice of transport. */
  private _fellBack = -Infinity;
  private _ready?: Deferred;
  private _s: Session;
  private _r: Retry;
  private _q: Requests;
  private _types = new Emitter<Record<string, Envelope>>();

  /**
   * @param url The http(s) base URL of the server's realtime endpoint (relative URLs resolve against the page).
   * @throws TypeError if `url` or an option is invalid.
   */
  constructor(url: string, options?: ClientOptions) {
    super();
    const o = (this._o = resolveOptions(url, options));
    this._s = new Session(o._timers, () => this._t?.send(this._wire(ACK)));
    this._q = new Requests(o._timers);
    this._r = new Retry(o, {
      _attempt: () => this._try(),
      _reconnecting: (e) => this._emit('reconnecting', e),
      _giveUp: (error, n) => {
        this._error(error);
        this._end(undefined, 'gave up reconnecting after ' + n + ' attempt(s): ' + error.message, false);
      },
      _probe: () => this._hb?._probe(),
      _state: () => this._state,
    });
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
  /** The session id, or null before the first connection. */
  get sid(): string | null {
    return this._s._sid || null;
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
      this._r._listen(true);
      this._setState('connecting');
      this._try();
    }
    return ready.promise;
  }

  /**
   * Sends one message. It is kept until the server acknowledges it, and sent
   * again after a reconnect if need be; while connecting, reconnecting or
   * offline it waits in the outbox.
   * @throws TypeError if `type` is invalid or `data` cannot be carried by JSON (a BigInt, a cycle); nothing is sent then.
   * @throws RealtimeError if the client is idle or closed, or the outbox is full.
   */
  send(type: string, data?: unknown): void {
    const json = check(type, data);
    this._admit();
    this._queue(type, json);
  }

  /**
   * Sends a request and resolves with the `data` of the server's reply.
   * Rejects with a TimeoutError if no reply comes within `timeout` ms (the
   * server may still act on it), with a ServerError if the server answers with
   * an error, and with a RealtimeError if the client closes first.
   */
  request<T = unknown>(type: string, data?: unknown, options: { timeout?: number } = {}): Promise<T> {
    const timeout = ms('request: timeout', options.timeout, this._o._requestTimeout);
    const json = check(type, data);
    this._admit();
    const [id, reply] = this._q._add<T>(type, timeout);
    this._queue(type, json, id);
    return reply;
  }

  /** Listens to the application messages of one `type`; returns a function that stops listening. */
  onMessage<T = unknown>(type: string, listener: (message: Envelope<T>) => void): () => void {
    return this._types.on(type, listener as (m: Envelope) => void);
  }

  /** Closes for good: tells the server, stops every timer and request; the state becomes `closed`. */
  close(): void {
    this._end(1000, 'closed by client', true);
  }

  /** Throws unless a message can be taken now. */
  private _admit(): void {
    const s = this._state;
    if (s == 'idle' || s == 'closed') throw new RealtimeError('send: client is ' + s + (s == 'idle' ? '; call connect() first' : ''));
    const n = this._s._out.length;
    if (n >= this._o._outboxLimit) throw new RealtimeError('send: outbox full (' + n + ' messages not yet acknowledged)');
  }

  /** Numbers and keeps a message, and sends it if a connection is open. */
  private _queue(type: string, json?: string, id?: string): void {
    const m = this._s._add(type, json, id);
    if (this._state == 'open') {
      this._transmit(m);
      this._s._flushed();
    }
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
    this._connector?._cancel();
    let query: Record<string, string>;
    try {
      query = await o._query();
    } catch (e) {
      return this._failed(gen, new RealtimeError('query option failed', e));
    }
    if (gen != this._gen) return;
    const ctx: TransportContext = {
      _base: o._base,
      _query: new URLSearchParams(query).toString(),
      _connect: this._s._query(),
      _sendTimeout: o._heartbeat ? o._heartbeat._timeout : 10000,
      _credentials: o._withCredentials,
      _platform: o,
    };
    // The transport that worked last goes first, so a network that blocks WebSocket costs one timeout, not one per
    // reconnect; but only for a while after falling back, so a transient failure does not keep a tab off WebSocket for good.
    const last = o._timers.now() - this._fellBack < STICKY && this._transport;
    const names = last && o._transports.indexOf(last) >= 0 ? [last, ...o._transports.filter((n) => n != last)] : o._transports;
    const c = (this._connector = new Connector(names, (n) => new TRANSPORTS[n](ctx), o._timeout, o._timers, (e) => this._error(e as RealtimeError)));
    try {
      await c._run((t, hello, failed) => this._opened(gen, t, hello, failed));
    } catch (e) {
      this._failed(gen, e as RealtimeError);
    }
  }

  private _opened(gen: number, t: Transport, hello: Hello, failed: TransportError[]): void {
    if (gen != this._gen) return t.close();
    const o = this._o;
    this._t = t;
    this._since = o._timers.now();
    if (failed.length) this._fellBack = this._since;
    t.onmessage = (env) => this._receive(env);
    t.onclose = (e) => this._lost(e);
    const hb = o._heartbeat;
    if (hb) {
      const interval = hb._interval || hello.heartbeat || 25000;
      this._hb = new Heartbeat(o._timers, interval, hb._timeout, () => this._ping(), () =>
        this._lost(new TransportError(t.name, 'silent for ' + (interval + hb._timeout) + ' ms, presumed dead'), 4000),
      );
    }
    const resumed = hello.resumed && hello.sid == this._s._sid;
    const reset = this._s._hello(hello);
    const changed = this._transport != t.name;
    this._transport = t.name;
    if (hb) this._ping();
    // What was kept goes first (unacknowledged, then queued), so whatever listeners send comes after it.
    for (const m of this._s._out) this._transmit(m);
    this._s._flushed();
    this._setState('open');
    // A listener may have closed the client: then nothing more after its `close`.
    if (reset && gen == this._gen) this._emit('reset', reset);
    if (changed && gen == this._gen) this._emit('transport', t.name);
    if (gen != this._gen) return;
    this._emit('open', { transport: t.name, failed, resumed });
    this._settle();
  }

  private _receive(env: Envelope): void {
    this._hb?._received();
    this._s._ack(env.ack);
    const d = (env.data || {}) as Record<string, any>;
    switch (env.type) {
      case PING:
        return this._t?.send(this._wire(PONG, toJson(env.data)));
      case PONG:
        if (typeof d.t == 'number') this._rtt = Math.max(0, this._o._timers.now() - d.t);
        return;
      case CLOSE:
        if (d.reconnect) return this._lost(new TransportError(this._t!.name, 'server restarting: ' + d.reason, d.code));
        return this._end(d.code, d.reason, false);
      case ERROR:
        return this._error(serverError(d, 'server error'));
    }
    if (env.type[0] == '$') return; // a protocol envelope this version does not know; ignore it, as the protocol says
    const verdict = this._s._accept(env.seq);
    // A gap means something was lost on the way: drop the connection, and resuming replays from what was delivered.
    if (verdict < 0) return this._lost(new TransportError(this._t!.name, 'gap in sequence after ' + this._s._last + ', resuming'));
    // A reply that answers no pending request (it came after the timeout) is dropped, not shown as a message.
    if (!verdict || this._q._reply(env) || env.re !== undefined) return;
    this._emit('message', env);
    this._types._emit(env.type, env);
  }

  private _transmit(m: Outgoing): void {
    this._t!.send(this._wire(m.type, m.json, m.seq, m.id));
  }

  /** Encodes an envelope to send: every one tells the server what was delivered (`ack`). */
  private _wire(type: string, json?: string, seq = 0, id?: string): string {
    return encode(type, json, seq, this._s._told(), id);
  }

  private _ping(): void {
    this._t?.send(this._wire(PING, '{"t":' + this._o._timers.now() + '}'));
  }

  private _error(e: RealtimeError): void {
    this._emit('error', e);
  }

  /** Detaches the current transport and its heartbeat; returns the transport. */
  private _drop(): Transport | undefined {
    const t = this._t;
    this._hb?._stop();
    this._s._stop();
    this._hb = this._t = undefined;
    return t;
  }

  /** An open connection was lost: close what is left of it (with `code` if the client gave up on it) and reconnect. */
  private _lost(error: TransportError, code?: number): void {
    this._drop()?.close(undefined, code);
    this._ready = undefined;
    // A connection that lasted was a success: start the backoff over. One that dropped at once was not,
    // or a server that accepts and then drops every connection would be hammered at the shortest delay.
    if (this._o._timers.now() - this._since >= STABLE) this._r._succeeded();
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
    this._r._schedule(error);
  }

  private _end(code: number | undefined, reason: string | undefined, farewell: boolean): void {
    if (this._state == 'closed') return;
    this._gen++;
    this._r._cancel();
    this._connector?._cancel();
    this._drop()?.close(farewell ? this._wire(CLOSE, '{"code":1000}') : undefined);
    this._r._listen(false);
    this._setState('closed');
    const unsent = this._s._out.splice(0).length;
    const why = 'client closed' + (reason ? ': ' + reason : '');
    this._settle(new RealtimeError(why));
    this._q._failAll(why);
    if (unsent) this._error(new RealtimeError(unsent + ' message(s) not acknowledged by the server when the client closed; they may not have arrived'));
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
