// The ends of a session in real Chromium, seen from both sides: the page's
// client closes (the server must know at once), the server kicks the client
// (it must not come back), the server restarts politely (it must come back).
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echo, expectOpenVia, launch, openDemo, skipBrowser, startServer, states, waitState, type TestServer } from './helpers';

const TRANSPORTS = ['websocket', 'sse', 'long-polling'];

/** Polls `check` in Node until it is true, for at most `timeout` ms. */
async function until(what: string, check: () => boolean, timeout = 5000): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(skipBrowser)('session lifecycle (Chromium, reference server)', () => {
  let browser: Browser;
  let servers: TestServer[] = [];
  let opened: Awaited<ReturnType<typeof openDemo>> | undefined;

  /** A fresh server per test, so its session list is this test's alone. */
  const serve = async (port?: number) => {
    const s = await startServer(port);
    servers.push(s);
    return s;
  };

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const o = opened;
    opened = undefined;
    try {
      await o?.done();
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      servers = [];
    }
  });

  it.each(TRANSPORTS)('close() over %s: the server ends the session at once', async (transport) => {
    const server = await serve();
    opened = await openDemo(browser, server, { path: '/realtime', transports: transport });
    await expectOpenVia(opened.page, transport, `close() (${transport})`);
    expect(server.list().map((s) => s.transport)).toEqual([transport]);

    await opened.page.click('#close');
    expect(await opened.page.textContent('#pill')).toBe('closed');
    await until('session ended on the server', () => server.list().length == 0);
  });

  it.each(TRANSPORTS)('kicked by the server over %s ($close 4003): closed, and no reconnection', async (transport) => {
    const server = await serve();
    opened = await openDemo(browser, server, { path: '/realtime', transports: transport });
    const { page } = opened;
    await expectOpenVia(page, transport, `kick (${transport})`);

    expect(server.kick(server.list()[0].sid, 4003, 'kicked')).toBe(true);
    await waitState(page, 'closed', 5000);
    const events = await page.evaluate(() => window.demo.events.map((e: any) => e.type));
    expect(events).not.toContain('reconnecting');
    expect(await page.evaluate(() => window.demo.events.find((e: any) => e.type == 'close').data)).toEqual({ code: 4003, reason: 'kicked' });
  });

  it.each(TRANSPORTS)('server restart announced with $close reconnect:true over %s: the client comes back', async (transport) => {
    const first = await serve();
    opened = await openDemo(browser, first, { path: '/realtime', transports: transport });
    const { page } = opened;
    await expectOpenVia(page, transport, `rolling restart (${transport})`);

    await first.shutdown({ code: 1012, reason: 'restarting', reconnect: true, grace: 1000 });
    await waitState(page, 'reconnecting', 5000);
    await serve(first.port);
    await waitState(page, 'open', 30000);

    expect((await states(page)).slice(-2)).toEqual(['open>reconnecting', 'reconnecting>open']);
    const why = await page.evaluate(() => window.demo.events.find((e: any) => e.type == 'reconnecting').data.error);
    expect(why).toMatchObject({ name: 'TransportError', transport, code: 1012 });
    expect(await echo(page, 'after restart')).toEqual({ text: 'after restart' });
  });
});
