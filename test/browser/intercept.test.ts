// The same failures as fallback.test.ts, made inside the browser instead of by
// the server: Playwright's WebSocket and request interception stand in for a
// proxy or firewall between the page and a healthy server.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectOpenVia, skipBrowser, useDemo } from './helpers';

const WS_URL = /\/realtime\/ws(\?|$)/;

/** A WebSocket "opened" by something in the way that then passes nothing on: neither connects to the server nor closes. */
const silentWebSocket = (page: Page) => page.routeWebSocket(WS_URL, () => {});
/** A WebSocket whose handshake fails as a refused upgrade does in a browser: close code 1006. */
const refusedWebSocket = (page: Page) => page.routeWebSocket(WS_URL, (ws) => ws.close({ code: 1006, reason: '' }));
/** Every EventSource request fails at the network level. */
const blockedEventSource = (page: Page) =>
  page.route('**/*', (route) => (route.request().resourceType() == 'eventsource' ? route.abort('blockedbyclient') : route.continue()));

describe.skipIf(skipBrowser)('fallback through failures made in the browser (Playwright interception)', () => {
  const demo = useDemo();
  const open = (prepare: (page: Page) => Promise<unknown>) => demo.open({ path: '/realtime' }, prepare);

  it('WebSocket open but silent (routeWebSocket, no server): SSE', async () => {
    const page = await open(silentWebSocket);
    await expectOpenVia(page, 'sse', 'routeWebSocket silent');
  });

  it('WebSocket closed with 1006 before opening (routeWebSocket): SSE', async () => {
    const page = await open(refusedWebSocket);
    await expectOpenVia(page, 'sse', 'routeWebSocket close 1006');
  });

  it('WebSocket refused and EventSource requests aborted (page.route): long polling', async () => {
    const page = await open((page) => Promise.all([refusedWebSocket(page), blockedEventSource(page)]));
    await expectOpenVia(page, 'long-polling', 'routeWebSocket 1006 + eventsource aborted');
  });

  it('EventSource requests aborted, WebSocket not allowed: long polling', async () => {
    const page = await demo.open({ path: '/realtime', transports: 'sse,long-polling' }, blockedEventSource);
    await expectOpenVia(page, 'long-polling', 'transports=sse,long-polling + eventsource aborted');
  });
});
