// Transport fallback in real Chromium, with the failures made by the reference
// server's fault paths (`/x/<faults>/realtime`): what a browser really does
// when an upgrade is refused, never answered, or a stream is buffered.
import { describe, expect, it } from 'vitest';
import { expectOpenVia, skipBrowser, useDemo } from './helpers';

// The client's default connect timeout: a transport that neither fails nor completes the handshake is abandoned after it.
const CONNECT_TIMEOUT = 4000;

describe.skipIf(skipBrowser)('fallback through real failures (Chromium, reference server)', () => {
  const { open } = useDemo();

  it('healthy: WebSocket', async () => {
    const page = await open({ path: '/realtime' });
    await expectOpenVia(page, 'websocket', 'healthy');
  });

  it('WebSocket refused (403 on upgrade, the browser sees 1006): SSE, without waiting out the timeout', async () => {
    const page = await open({ path: '/x/ws-refuse/realtime' });
    const ms = await expectOpenVia(page, 'sse', 'ws-refuse');
    // A refusal is noticed when it happens; only silence should cost a connect timeout.
    expect(ms).toBeLessThan(CONNECT_TIMEOUT);
  });

  it('WebSocket upgrade never answered: SSE after the connect timeout', async () => {
    const page = await open({ path: '/x/ws-hang/realtime' });
    const ms = await expectOpenVia(page, 'sse', 'ws-hang');
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT);
  });

  it('WebSocket opens but stays silent (no $hello): SSE after the connect timeout', async () => {
    const page = await open({ path: '/x/ws-silent/realtime' });
    const ms = await expectOpenVia(page, 'sse', 'ws-silent');
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT);
  });

  it('WebSocket and SSE refused: long polling', async () => {
    const page = await open({ path: '/x/ws-refuse+sse-refuse/realtime' });
    const ms = await expectOpenVia(page, 'long-polling', 'ws-refuse+sse-refuse');
    expect(ms).toBeLessThan(CONNECT_TIMEOUT);
  });

  it('WebSocket refused, SSE buffered by a proxy (200, no event): long polling after the connect timeout', async () => {
    const page = await open({ path: '/x/ws-refuse+sse-buffer/realtime' });
    const ms = await expectOpenVia(page, 'long-polling', 'ws-refuse+sse-buffer');
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT);
  });

  it.each(['websocket', 'sse', 'long-polling'])('healthy, %s alone', async (transport) => {
    const page = await open({ path: '/realtime', transports: transport });
    await expectOpenVia(page, transport, 'healthy, ' + transport + ' only');
  });
});
