// Reconnection in real Chromium: the server goes away and comes back on the
// same port, or the page's live connection is killed ("Drop connection").
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echo, expectOpenVia, launch, openDemo, skipBrowser, startServer, states, waitState, type TestServer } from './helpers';

describe.skipIf(skipBrowser)('reconnection (Chromium, reference server)', () => {
  let browser: Browser;
  const servers = new Set<TestServer>();
  let opened: Awaited<ReturnType<typeof openDemo>> | undefined;

  const serve = async (port?: number) => {
    const s = await startServer(port);
    servers.add(s);
    return s;
  };
  const stop = async (s: TestServer) => {
    servers.delete(s);
    await s.close();
  };

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([...servers].map((s) => s.close()));
  });
  afterEach(async () => {
    const o = opened;
    opened = undefined;
    await o?.done();
  });

  it.each(['websocket', 'sse', 'long-polling'])('server restarts on the same port: the %s client reconnects by itself', async (transport) => {
    const first = await serve();
    opened = await openDemo(browser, first, { path: '/realtime', transports: transport });
    const { page } = opened;
    await expectOpenVia(page, transport, `before restart (${transport})`);

    await stop(first);
    await waitState(page, 'reconnecting', 10000);
    const down = Date.now();
    const second = await serve(first.port);
    expect(second.port).toBe(first.port);

    await waitState(page, 'open', 30000);
    console.log(`[browser] server restart (${transport}): open again via ${await page.evaluate(() => window.demo.client.transport)} ${Date.now() - down} ms after the new server listened`);
    expect(await states(page)).toEqual(expect.arrayContaining(['open>reconnecting', 'reconnecting>open']));
    expect((await states(page)).slice(-1)).toEqual(['reconnecting>open']);
    expect(await page.evaluate(() => window.demo.client.transport)).toBe(transport);
    expect(await echo(page, 'after restart')).toEqual({ text: 'after restart' });
  });

  it.each(['websocket', 'sse', 'long-polling'])('the demo page\'s "Drop connection" on %s: the client reconnects by itself', async (transport) => {
    const server = await serve();
    // Without native=1 the page hands the client droppable WebSocket/EventSource/fetch wrappers.
    opened = await openDemo(browser, server, { path: '/realtime', transports: transport, native: '0' });
    const { page } = opened;
    await expectOpenVia(page, transport, `before drop (${transport})`);

    await page.click('#drop');
    await page.waitForFunction(() => window.demo.events.some((e: any) => e.type == 'reconnecting'), null, { timeout: 10000, polling: 50 });
    await waitState(page, 'open', 15000);
    const reopen = await page.evaluate(() => window.demo.events.filter((e: any) => e.type == 'open').pop().data.ms);
    console.log(`[browser] drop (${transport}): open again in ${reopen} ms (backoff delay included)`);
    expect(await states(page)).toEqual(['idle>connecting', 'connecting>open', 'open>reconnecting', 'reconnecting>open']);
    expect(await page.textContent('#pill')).toBe('open');
    expect(await page.textContent('#reconnects')).toMatch(/^1 \(last took \d+ ms\)$/);
    expect(await echo(page, 'after drop')).toEqual({ text: 'after drop' });
    await stop(server);
  });

  it('offline while the server is gone: no attempts until the browser is back online, then it reconnects', async () => {
    const first = await serve();
    opened = await openDemo(browser, first, { path: '/realtime' });
    const { page } = opened;
    await expectOpenVia(page, 'websocket', 'before offline');

    const context = page.context();
    await context.setOffline(true);
    await stop(first);
    await waitState(page, 'reconnecting', 10000);
    // The client says it waits for the network (delay Infinity) and schedules no attempt (the unit tests prove
    // with fake timers that none is made; here, no sleep: the event is the client's word for it).
    await page.waitForFunction(() => window.demo.events.some((e: any) => e.type == 'reconnecting'), null, { timeout: 10000, polling: 50 });
    expect(await page.evaluate(() => window.demo.events.filter((e: any) => e.type == 'reconnecting').map((e: any) => e.data.delay))).toEqual([Infinity]);

    await serve(first.port);
    await context.setOffline(false);
    await waitState(page, 'open', 10000);
    expect(await echo(page, 'back online')).toEqual({ text: 'back online' });
  });
});
