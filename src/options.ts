import type { RealtimeError } from './errors';
import { backoff as backoffFn, type BackoffOptions } from './backoff';
import { globalTimers, type Platform, type Timers } from './platform';
import type { TransportName } from './transports/transport';

/** Decides the delay before reconnection attempt `attempt` (1-based), or `null` to give up. */
export type ReconnectPolicy = (context: { attempt: number; error: RealtimeError }) => number | null;

export interface ReconnectOptions extends BackoffOptions {
  /** Attempts in a row before giving up and closing. Default Infinity. */
  maxAttempts: number;
}

export type Query = Record<string, string>;

/** Options of {@link RealtimeClient}; every one is optional. */
export interface ClientOptions {
  /** Transports to try, in order. Default `['websocket', 'sse', 'long-polling']`. */
  transports?: TransportName[];
  /** How long a transport may take to complete the handshake before the next one is tried, in ms; one number or one per transport. Default 4000. */
  connectTimeout?: number | Partial<Record<TransportName, number>>;
  /** Reconnection timing, a policy function, or `false` never to reconnect. */
  reconnect?: false | Partial<ReconnectOptions> | ReconnectPolicy;
  /** `interval`: ping period in ms (default: the server's, from `$hello`); `timeout`: silence beyond the interval that means dead (default 10 000). `false` disables both. */
  heartbeat?: false | { interval?: number; timeout?: number };
  /** Query parameters added to every request, e.g. `{ token }`; a function is called before each connection attempt, so a token can be refreshed. */
  query?: Query | (() => Query | Promise<Query>);
  /** Messages kept until the server acknowledges them, queued ones included; `send()` throws beyond it. Default 1000. */
  outboxLimit?: number;
  /** How long `request()` waits for a reply by default, in ms. Default 10 000. */
  requestTimeout?: number;
  /**
   * Send cookies on cross-origin SSE and HTTP requests too (`EventSource` `withCredentials`,
   * fetch `credentials: 'include'`), for cookie sessions when the realtime endpoint is on another
   * origin; the server must answer with `Access-Control-Allow-Credentials: true`. WebSockets always send cookies. Default false.
   */
  withCredentials?: boolean;
  WebSocket?: typeof WebSocket;
  EventSource?: typeof EventSource;
  fetch?: typeof fetch;
  timers?: Partial<Timers>;
  /** Source of randomness for jitter. Default `Math.random`. */
  random?: () => number;
  /** Where `online`/`offline` events come from. Default `globalThis` (the window); `null` to ignore them. */
  network?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

export interface Resolved extends Platform {
  _base: string;
  _transports: TransportName[];
  _timeout: (name: TransportName) => number;
  _retry: ReconnectPolicy;
  _heartbeat: false | { _interval?: number; _timeout: number };
  _query: () => Query | Promise<Query>;
  _outboxLimit: number;
  _requestTimeout: number;
  _withCredentials: boolean;
  _network: ClientOptions['network'];
}

const ALL: TransportName[] = ['websocket', 'sse', 'long-polling'];
const g = globalThis as any;

function fail(name: string, want: string, got: unknown): never {
  throw new TypeError('RealtimeClient: ' + name + ' must be ' + want + ', got ' + (typeof got == 'string' ? JSON.stringify(got) : String(got)));
}

/** A number option: `undefined` gives `dflt`; otherwise it must be ≥ `min` (> `min` if `above`) and ≤ `max`. */
function num(name: string, v: unknown, dflt: number, min = 0, max = Infinity, above?: boolean): number {
  if (v === undefined) return dflt;
  if (typeof v != 'number' || !(above ? v > min : v >= min) || !(v <= max))
    fail(name, max < Infinity ? 'a number from ' + min + ' to ' + max : 'a number ' + (above ? '> ' : '≥ ') + min, v);
  return v;
}

/** The longest delay timers can hold (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_MS = 2147483647;

/** A duration in ms, > 0 and within what timers can hold. */
export const ms = (name: string, v: unknown, dflt: number) => num(name, v, dflt, 0, MAX_MS, true);

function fn<T>(name: string, v: T | undefined, dflt?: T): T | undefined {
  if (v !== undefined && typeof v != 'function') fail(name, 'a function', v);
  return v || dflt;
}

/** Validates the constructor's arguments at once, naming the culprit, and fills in the defaults. */
export function resolveOptions(url: string, o: ClientOptions = {}): Resolved {
  if (typeof o != 'object' || !o) fail('options', 'an object', o);
  let u: URL | undefined;
  try {
    u = new URL(url, g.location && g.location.href);
  } catch {}
  if (typeof url != 'string' || !u || !/^(http|ws)s?:$/.test(u.protocol)) fail('url', 'an http(s) URL', url);
  const base = u.protocol.replace('ws', 'http') + '//' + u.host + u.pathname.replace(/\/+$/, '');

  const transports = o.transports || ALL;
  if (!Array.isArray(transports) || !transports.length || transports.some((t, i) => ALL.indexOf(t) < 0 || transports.indexOf(t) != i))
    fail('transports', 'a non-empty list of distinct names out of ' + ALL.join(', '), transports);

  const ct = o.connectTimeout;
  const timeouts: Partial<Record<TransportName, number>> = typeof ct == 'object' && ct ? ct : {};
  const dflt = ms('connectTimeout', typeof ct == 'object' && ct ? undefined : ct, 4000);
  for (const k in timeouts) if (ALL.indexOf(k as TransportName) < 0) fail('connectTimeout', 'keyed by transport names', k);
  for (const k of ALL) ms('connectTimeout.' + k, timeouts[k], dflt);

  const r = o.reconnect;
  let retry: ReconnectPolicy;
  if (r === false) retry = () => null;
  else if (typeof r == 'function') retry = r;
  else if (r === undefined || typeof r == 'object') {
    const b = r || {};
    const minDelay = num('reconnect.minDelay', b.minDelay, 500);
    const opts: ReconnectOptions = {
      minDelay,
      maxDelay: num('reconnect.maxDelay', b.maxDelay, Math.max(30000, minDelay), minDelay, MAX_MS),
      factor: num('reconnect.factor', b.factor, 2, 1),
      jitter: num('reconnect.jitter', b.jitter, 0.5, 0, 1),
      maxAttempts: num('reconnect.maxAttempts', b.maxAttempts, Infinity),
    };
    const random = fn('random', o.random, Math.random)!;
    retry = ({ attempt }) => (attempt > opts.maxAttempts ? null : backoffFn(attempt, opts, random));
  } else fail('reconnect', 'false, an object or a function', r);

  const h = o.heartbeat;
  if (h !== undefined && h !== false && (typeof h != 'object' || !h)) fail('heartbeat', 'false or an object', h);
  const heartbeat = h === false ? h : { _interval: h ? ms('heartbeat.interval', h.interval, 0) : 0, _timeout: ms('heartbeat.timeout', h && h.timeout, 10000) };

  const q = o.query;
  if (q !== undefined && typeof q != 'function' && (typeof q != 'object' || !q)) fail('query', 'an object or a function', q);
  const extra = Object.fromEntries(u.searchParams);
  const query = () => Promise.resolve(typeof q == 'function' ? q() : q).then((v) => ({ ...extra, ...v }));

  const n = o.network;
  if (n !== undefined && n !== null && (typeof n != 'object' || typeof n.addEventListener != 'function')) fail('network', 'an EventTarget or null', n);

  const f = fn('fetch', o.fetch, g.fetch);
  const t = o.timers || {};
  if (typeof t != 'object') fail('timers', 'an object', t);
  return {
    _base: base,
    _transports: transports,
    _timeout: (name) => timeouts[name] || dflt,
    _retry: retry,
    _heartbeat: heartbeat,
    _query: query,
    _outboxLimit: num('outboxLimit', o.outboxLimit, 1000, 1),
    _requestTimeout: ms('requestTimeout', o.requestTimeout, 10000),
    _withCredentials: o.withCredentials === undefined ? false : typeof o.withCredentials == 'boolean' ? o.withCredentials : fail('withCredentials', 'a boolean', o.withCredentials),
    _network: n === undefined ? (typeof g.addEventListener == 'function' ? g : null) : n,
    _WebSocket: fn('WebSocket', o.WebSocket, g.WebSocket),
    _EventSource: fn('EventSource', o.EventSource, g.EventSource),
    // Called bare: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    _fetch: f && (((input, init) => f(input, init)) as typeof fetch),
    _timers: {
      setTimeout: fn('timers.setTimeout', t.setTimeout, globalTimers.setTimeout)!,
      clearTimeout: fn('timers.clearTimeout', t.clearTimeout, globalTimers.clearTimeout)!,
      now: fn('timers.now', t.now, globalTimers.now)!,
    },
  };
}
