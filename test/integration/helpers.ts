// Shared by the integration tests: a server per test that is always closed,
// and an inbox that turns pushed messages into awaitable ones with a deadline.
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { createRealtimeServer, type RealtimeServerOptions } from '../../demo/server/index.js';
import { NodeEventSource } from './node-eventsource';

export interface Envelope {
  type: string;
  data?: any;
  seq?: number;
  [k: string]: unknown;
}

/** Starts a reference server on a free port; it is closed when the test finishes, pass or fail. */
export async function startServer(options: RealtimeServerOptions = {}) {
  const srv = createRealtimeServer({ port: 0, ...options });
  const { port, url } = await srv.listen();
  onTestFinished(() => srv.close());
  return { srv, port, url, base: url + '/realtime' };
}

/** Messages in arrival order; `next()` waits for one, failing after a deadline instead of hanging. */
export class Inbox<T = Envelope> {
  private _items: T[] = [];
  private _waiters: { pred: (t: T) => boolean; resolve: (t: T) => void }[] = [];

  push = (item: T): void => {
    const i = this._waiters.findIndex((w) => w.pred(item));
    if (i >= 0) this._waiters.splice(i, 1)[0].resolve(item);
    else this._items.push(item);
  };

  /** The next item (matching `pred`, earlier non-matching ones stay queued). */
  next(pred: (t: T) => boolean = () => true, ms = 3000): Promise<T> {
    const i = this._items.findIndex(pred);
    if (i >= 0) return Promise.resolve(this._items.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (t: T) => {
          clearTimeout(timer);
          resolve(t);
        },
      };
      const timer = setTimeout(() => {
        this._waiters.splice(this._waiters.indexOf(waiter), 1);
        reject(new Error(`nothing matching arrived within ${ms} ms; queued: ${JSON.stringify(this._items).slice(0, 300)}`));
      }, ms);
      this._waiters.push(waiter);
    });
  }

  /** The next item of `type`. */
  type(type: string, ms?: number): Promise<T> {
    return this.next((t) => (t as Envelope).type == type, ms);
  }

  get queued(): T[] {
    return this._items;
  }
}

/** A raw WebSocket to `{base}/ws`: resolves once open, with its inbox of parsed envelopes and its close. */
export function openWs(base: string, { query = 'v=1', headers = {} as Record<string, string> } = {}) {
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws?' + query, { headers });
  const inbox = new Inbox();
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data, isBinary) => inbox.push(isBinary ? { type: '<binary>' } : JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error('upgrade refused with ' + res.statusCode), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
  });
  onTestFinished(() => ws.terminate());
  return opened.then(() => ({ ws, inbox, closed, send: (v: unknown) => ws.send(typeof v == 'string' ? v : JSON.stringify(v)) }));
}

/** An event stream on `{base}/sse`: resolves once open, with its inbox of parsed envelopes. */
export function openSse(base: string, query = 'v=1') {
  const es = new NodeEventSource(base + '/sse?' + query);
  const inbox = new Inbox();
  const errored = new Promise<void>((resolve) => (es.onerror = () => resolve()));
  es.onmessage = (e) => inbox.push(JSON.parse(e.data));
  onTestFinished(() => es.close());
  return new Promise<{ es: NodeEventSource; inbox: Inbox; errored: Promise<void> }>((resolve, reject) => {
    es.onopen = () => resolve({ es, inbox, errored });
    errored.then(() => reject(new Error('event stream failed')));
  });
}

/** POSTs envelopes to `{base}/send`. */
export function post(base: string, sid: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/send?sid=${encodeURIComponent(sid)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body == 'string' ? body : JSON.stringify(body),
  });
}

/** One long poll; resolves with its status and parsed body. */
export async function poll(base: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/poll?${query}`, { headers });
  const text = await res.text();
  return { res, status: res.status, body: res.status == 200 ? (JSON.parse(text) as Envelope[]) : text };
}

export type RawTransport = 'websocket' | 'sse' | 'long-polling';

/** One raw connection on any transport, as a test client sees it: its `$hello`, what came after it, a way to send, a way to vanish. */
export interface RawConnection {
  hello: Envelope;
  inbox: Inbox;
  /** Sends envelopes: one WebSocket frame, or one POST body (which must be answered 204). */
  send(envelopes: unknown[]): Promise<void>;
  /** Disappears without `$close`, as a lost network would. */
  drop(): void;
}

/**
 * Connects over `transport` with `query` (`v=1`, plus `sid` and `last` to
 * resume). On long polling it keeps polling until dropped, pushing what each poll returns.
 */
export async function connectRaw(base: string, transport: RawTransport, query = 'v=1'): Promise<RawConnection> {
  if (transport == 'websocket') {
    const { ws, inbox, send } = await openWs(base, { query });
    const hello = await inbox.type('$hello');
    return { hello, inbox, send: async (envelopes) => send(envelopes), drop: () => ws.terminate() };
  }
  const postAll = (sid: string) => async (envelopes: unknown[]) => {
    const res = await post(base, sid, envelopes);
    if (res.status != 204) throw new Error('POST answered ' + res.status);
  };
  if (transport == 'sse') {
    const { es, inbox } = await openSse(base, query);
    const hello = await inbox.type('$hello');
    return { hello, inbox, send: postAll(hello.data.sid), drop: () => es.close() };
  }
  const first = await poll(base, query);
  if (first.status != 200) throw new Error('connecting poll answered ' + first.status);
  const [hello, ...rest] = first.body as Envelope[];
  const inbox = new Inbox();
  rest.forEach(inbox.push);
  const abort = new AbortController();
  const loop = async () => {
    while (!abort.signal.aborted) {
      const res = await fetch(`${base}/poll?sid=${encodeURIComponent(hello.data.sid)}`, { signal: abort.signal });
      if (res.status != 200) return;
      (JSON.parse(await res.text()) as Envelope[]).forEach(inbox.push);
    }
  };
  loop().catch(() => {});
  onTestFinished(() => abort.abort());
  return { hello, inbox, send: postAll(hello.data.sid), drop: () => abort.abort() };
}

/** The query of a connecting request that resumes `sid` after `last`. */
export const resumeQuery = (sid: string, last: number) => `v=1&sid=${encodeURIComponent(sid)}&last=${last}`;

/** Application envelopes only (not `$ack`, `$ping`…), for inboxes where the protocol's chatter does not matter. */
export const isApp = (e: Envelope) => e.type[0] != '$';
