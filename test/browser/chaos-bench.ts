// The test bench of the browser chaos tests: demo/public/chaos.html in a
// fresh context, with Playwright between the page and the server. Every
// WebSocket is piped through the test (so it can be cut after any frame, or
// refused); EventSource requests, polls and POSTs pass through page.route (so
// they can be refused, or failed before the server sees them or after it answered).
import type { Browser, BrowserContext, Page, Route, WebSocketRoute } from 'playwright-core';
import { sleep } from '../integration/chaos-harness';

declare global {
  interface Window {
    /** Set by demo/public/chaos.html. */
    chaos: any;
  }
}

const WS_URL = /\/realtime\/ws(\?|$)/;

/** A routed WebSocket that forwards both ways by hand, so the test can count frames and cut it after any one. */
export class Pipe {
  down = 0;
  dead = false;
  /** Cut after this many more server → page frames (null: no cut armed). */
  cutAfter: number | null = null;
  constructor(
    private page: WebSocketRoute,
    private server: WebSocketRoute,
    private onCut: (p: Pipe, midStream: boolean) => void,
  ) {
    page.onMessage((m) => !this.dead && server.send(m));
    server.onMessage((m) => {
      if (this.dead) return;
      page.send(m);
      this.down++;
      if (this.cutAfter !== null && --this.cutAfter <= 0) this.cut(true);
    });
    page.onClose((code, reason) => this.end(() => server.close(closeable(code, reason))));
    server.onClose((code, reason) => this.end(() => page.close(closeable(code, reason))));
  }
  /** Drops the connection both ways, as a network would: the page sees an abnormal close. */
  cut(midStream = false): void {
    if (this.dead) return;
    this.onCut(this, midStream);
    this.end(() => {
      quiet(this.page.close({ code: 1006, reason: '' }));
      quiet(this.server.close({ code: 1001, reason: 'chaos cut' }));
    });
  }
  private end(f: () => void): void {
    if (this.dead) return;
    this.dead = true;
    f();
  }
}
/** Swallows the rejection of a close on a route that is already gone. */
const quiet = (p: Promise<unknown> | undefined) => void p?.catch(() => {});
/** `['a','a','b']` → `a×2>b` */
export const runs = (names: string[]) =>
  names
    .reduce<[string, number][]>((acc, n) => (acc.length && acc[acc.length - 1]![0] == n ? (acc[acc.length - 1]![1]++, acc) : [...acc, [n, 1]]), [])
    .map(([n, k]) => (k > 1 ? `${n}×${k}` : n))
    .join('>');
const closeable = (code?: number, reason?: string) => (code && code != 1005 && code != 1006 ? { code, reason } : {});

/** What the test can do to the page's connections. */
export interface Bench {
  page: Page;
  context: BrowserContext;
  pipes: Set<Pipe>;
  cuts: number;
  /** Cuts right after a server frame was passed on (the next ones of a burst or a replay lost). */
  midStream: number;
  /** Refuse new WebSockets (as a gateway that drops the upgrade: close 1006 before open). */
  refuseWs: boolean;
  /** Abort EventSource requests. */
  refuseSse: boolean;
  /** Abort connecting polls (`/poll?v=1…`). */
  refusePoll: boolean;
  /** Fail the next HTTP request(s) to /send or /poll: before the server sees it ('before') or after its answer ('after'). */
  failNext: { kind: 'send' | 'poll'; when: 'before' | 'after' }[];
  pageErrors: Error[];
}

/**
 * Opens demo/public/chaos.html in a fresh context, with every WebSocket, EventSource, poll and POST
 * going through the test's hands, and waits until its client is open.
 */
export async function openBench(browser: Browser, url: string, transports = 'websocket,sse,long-polling'): Promise<Bench> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const b: Bench = { page, context, pipes: new Set(), cuts: 0, midStream: 0, refuseWs: false, refuseSse: false, refusePoll: false, failNext: [], pageErrors: [] };
  page.on('pageerror', (e) => b.pageErrors.push(e));
  await page.routeWebSocket(WS_URL, (ws) => {
    if (b.refuseWs) return quiet(ws.close({ code: 1006, reason: '' }));
    const pipe = new Pipe(ws, ws.connectToServer(), (p, midStream) => {
      b.pipes.delete(p);
      b.cuts++;
      if (midStream) b.midStream++;
    });
    b.pipes.add(pipe);
  });
  await page.route(/\/realtime\/(sse|poll|send)/, (route) => http(b, route));
  await page.goto(`${url}/chaos.html?transports=${transports}`);
  await page.waitForFunction(() => window.chaos?.client?.state == 'open', null, { timeout: 15000, polling: 50 });
  return b;
}

async function http(b: Bench, route: Route): Promise<void> {
  const req = route.request();
  const u = new URL(req.url());
  const kind = u.pathname.endsWith('/send') ? 'send' : u.pathname.endsWith('/poll') ? 'poll' : 'sse';
  try {
    if (kind == 'sse' && b.refuseSse) return await route.abort('connectionrefused');
    if (kind == 'poll' && b.refusePoll && u.searchParams.has('v')) return await route.abort('connectionrefused');
    const i = b.failNext.findIndex((f) => f.kind == kind);
    if (i < 0) return await route.continue();
    const { when } = b.failNext.splice(i, 1)[0]!;
    b.cuts++;
    // 'after': the server took the POST or answered the poll, and the page never hears of it.
    if (when == 'after') await route.fetch({ timeout: 10000 }).catch(() => {});
    await route.abort('connectionreset');
  } catch {
    // The page or the route went away first.
  }
}

export const state = (b: Bench) => b.page.evaluate(() => window.chaos.client.state as string);
export const sidOf = (b: Bench) => b.page.evaluate(() => window.chaos.client.sid as string);
export const transportOf = (b: Bench) => b.page.evaluate(() => window.chaos.client.transport as string);
/** Polls a condition that needs the page, bounded. */
export async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond().catch(() => false)) return true;
    await sleep(50);
  }
  return false;
}
