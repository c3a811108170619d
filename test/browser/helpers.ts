// Shared setup of the browser tests: Debian's Chromium driven by playwright-core,
// the reference server in-process, and the demo page as the test bench.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

declare global {
  interface Window {
    /** Set by demo/public/demo.js. */
    demo: any;
    /** The script-tag build's global. */
    Realtime: any;
  }
}

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. Never a Playwright-downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CI = process.env.CI === 'true';

/** Skip (loudly) where Chromium is missing, except in CI, where a missing browser must fail the run. */
export const skipBrowser = !existsSync(CHROMIUM) && !CI;
if (skipBrowser) {
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! BROWSER TESTS SKIPPED: ${CHROMIUM} not found. Install it (apt-get install chromium)\n!! or run .ci/run; with CI=true they fail instead of being skipped.\n${bar}\n`);
}

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the browser tests need Chromium (apt-get install chromium, or .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The reference server, as the tests use it. */
export interface TestServer {
  port: number;
  url: string;
  /** Drops every connection without `$close`, as a crash would. */
  close(): Promise<void>;
  /** Ends every session with `$close`, then closes. */
  shutdown(options?: { code?: number; reason?: string; reconnect?: boolean; grace?: number }): Promise<void>;
  /** Ends one session with `$close`. */
  kick(sid: string, code?: number, reason?: string): boolean;
  list(): { sid: string; transport: string }[];
}

/** Starts the reference server on 127.0.0.1, with the fault paths (`/x/<faults>/realtime`) mounted. */
export async function startServer(port = 0): Promise<TestServer> {
  const umd = fileURLToPath(new URL('../../dist/realtime.umd.min.js', import.meta.url));
  if (!existsSync(umd)) throw new Error('dist/realtime.umd.min.js is missing: `npm test` builds it first (or run `npm run build`)');
  const { createRealtimeServer } = await import('../../demo/server/index.js');
  // The port of a server that was just closed can take a moment to be free again.
  for (let i = 0; ; i++) {
    const server = createRealtimeServer({ port, host: '127.0.0.1', faults: true });
    try {
      const { port: p, url } = await server.listen();
      return {
        port: p,
        url,
        close: () => server.close(),
        shutdown: (o) => server.shutdown(o),
        kick: (sid, code, reason) => server.kick(sid, code, reason),
        list: () => server.list(),
      };
    } catch (e: any) {
      if (e?.code != 'EADDRINUSE' || i >= 20) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export type Query = Record<string, string>;

/**
 * Opens the demo page in a fresh browser context (its own connections and
 * cookies), with `query` presets. By default it connects at once and gives
 * the client the browser's own WebSocket/EventSource/fetch (`native=1`).
 * `prepare` runs before the page loads: the place for `page.route…`.
 * `done()` closes it, after checking that the page threw nothing uncaught
 * and that its client emitted no `error` event (every scenario here is one
 * the client must handle without reporting an error).
 */
export async function openDemo(browser: Browser, server: TestServer, query: Query = {}, prepare?: (page: Page) => Promise<unknown>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  if (prepare) await prepare(page);
  const q = new URLSearchParams({ autoconnect: '1', native: '1', ...query });
  await page.goto(`${server.url}/?${q}`);
  const done = async () => {
    const clientErrors = await page.evaluate(() => window.demo?.events.filter((e: any) => e.type == 'error').map((e: any) => e.data) ?? []).catch(() => []);
    await context.close();
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    expect(clientErrors, "the client's error events").toEqual([]);
  };
  return { page, done };
}

/** Waits until the page's client is in `state`; on timeout, fails with the page's log. */
export async function waitState(page: Page, state: string, timeout: number): Promise<void> {
  try {
    await page.waitForFunction((state) => window.demo?.client?.state == state, state, { timeout, polling: 50 });
  } catch (e) {
    throw new Error(`client not ${state} within ${timeout} ms (${(e as Error).message.split('\n')[0]}); the page's log:\n${await pageLog(page)}`);
  }
}

/** Waits until the page's client is `open`; returns the transport and the ms from connect() to open. */
export async function waitOpen(page: Page, timeout: number): Promise<{ transport: string; ms: number }> {
  await waitState(page, 'open', timeout);
  return page.evaluate(() => ({ transport: window.demo.client.transport, ms: window.demo.timeToOpen }));
}

/** Sends an `echo` with the page's client and resolves with what came back (within 5 s). */
export function echo(page: Page, text = 'hello ' + Math.random()): Promise<unknown> {
  return page.evaluate(
    (text) =>
      new Promise((resolve, reject) => {
        const client = window.demo.client;
        const timer = setTimeout(() => reject(new Error('no echo within 5 s')), 5000);
        const off = client.onMessage('echo', (m: any) => {
          if (m.data?.text !== text) return;
          clearTimeout(timer);
          off();
          resolve(m.data);
        });
        client.send('echo', { text });
      }),
    text,
  );
}

/** Waits for `open`, checks the transport, does an echo round trip, and prints the time to open. */
export async function expectOpenVia(page: Page, transport: string, label: string, timeout = 15000): Promise<number> {
  const open = await waitOpen(page, timeout);
  console.log(`[browser] ${label}: open via ${open.transport} in ${open.ms} ms`);
  expect(open.transport).toBe(transport);
  const text = 'round trip via ' + transport;
  expect(await echo(page, text)).toEqual({ text });
  return open.ms;
}

/** The demo page's log, for failure messages. */
export async function pageLog(page: Page): Promise<string> {
  const log = await page.evaluate(() => window.demo?.log ?? []).catch(() => []);
  return log.map((e: { kind: string; text: string }) => `  ${e.kind}: ${e.text}`).join('\n');
}

/** The `state` transitions the page's client went through since it connected, as `from>to`. */
export function states(page: Page): Promise<string[]> {
  return page.evaluate(() => window.demo.events.filter((e: any) => e.type == 'state').map((e: any) => e.data.from + '>' + e.data.to));
}

/**
 * One browser and one reference server for a `describe` block, and pages
 * opened with `open()` that are checked and closed after each test.
 */
export function useDemo() {
  const suite = { browser: undefined as unknown as Browser, server: undefined as unknown as TestServer };
  const pages: Awaited<ReturnType<typeof openDemo>>[] = [];
  beforeAll(async () => {
    [suite.browser, suite.server] = await Promise.all([launch(), startServer()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.done();
  });
  /** Opens the demo page with `query`; `prepare` runs before it loads. */
  const open = async (query: Query = {}, prepare?: (page: Page) => Promise<unknown>) => {
    const p = await openDemo(suite.browser, suite.server, query, prepare);
    pages.push(p);
    return p.page;
  };
  return Object.assign(suite, { open });
}
