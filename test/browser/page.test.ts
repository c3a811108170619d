// The script-tag build and the demo page as a user meets them: the `Realtime`
// global, chat between two pages, and what a failed connect() tells.
import { describe, expect, it } from 'vitest';
import { expectOpenVia, skipBrowser, useDemo } from './helpers';

describe.skipIf(skipBrowser)('the script-tag build and the demo page (Chromium)', () => {
  const demo = useDemo();
  const open = demo.open;

  it('defines the global Realtime with RealtimeClient and the error classes', async () => {
    const page = await open({ autoconnect: '0' });
    const found = await page.evaluate(() => {
      const R = window.Realtime;
      const e = new R.TransportError('sse', 'refused', 503);
      const samples = [new R.RealtimeError('x'), e, new R.ConnectError([e]), new R.ProtocolError('x'), new R.ServerError('too_large', 'x')];
      return {
        client: typeof R.RealtimeClient,
        errors: samples.filter((s) => s instanceof R.RealtimeError).map((s) => s.name),
        transportError: { name: e.name, message: e.message, code: e.code, isError: e instanceof Error },
        state: new R.RealtimeClient('/realtime').state,
      };
    });
    expect(found).toEqual({
      client: 'function',
      errors: ['RealtimeError', 'TransportError', 'ConnectError', 'ProtocolError', 'ServerError'],
      transportError: { name: 'TransportError', message: 'sse: refused', code: 503, isError: true },
      state: 'idle',
    });
  });

  it('connect() rejects with a ConnectError that says what failed on each transport', async () => {
    const page = await open({ autoconnect: '0' });
    const error = await page.evaluate(async () => {
      const client = new window.Realtime.RealtimeClient('/x/ws-refuse+sse-refuse+poll-refuse/realtime', { reconnect: false });
      try {
        await client.connect();
        return null;
      } catch (e: any) {
        return { name: e.name, state: client.state, failed: (e.errors || []).map((t: any) => [t.name, t.transport, t.code]) };
      }
    });
    expect(error).toEqual({
      name: 'ConnectError',
      state: 'closed',
      failed: [
        ['TransportError', 'websocket', 1006],
        ['TransportError', 'sse', undefined],
        ['TransportError', 'long-polling', 503],
      ],
    });
  });

  it('chat between two pages, one on WebSocket and one on long polling', async () => {
    const alice = await open({ name: 'alice' });
    const bob = await open({ name: 'bob', transports: 'long-polling' });
    await expectOpenVia(alice, 'websocket', 'chat page 1');
    await expectOpenVia(bob, 'long-polling', 'chat page 2');

    await alice.fill('#text', 'hi bob');
    await alice.press('#text', 'Enter');
    await bob.fill('#text', 'hi alice');
    await bob.click('#chat-form button[type=submit]');

    for (const page of [alice, bob]) {
      await page.waitForFunction(() => document.querySelectorAll('#chat li').length >= 2, null, { timeout: 5000 });
      const lines = await page.$$eval('#chat li', (lis) => lis.map((li) => li.textContent!.replace(/^[\d:.]+\s*/, '')));
      expect(lines.sort()).toEqual(['alice hi bob', 'bob hi alice']);
    }
  });

  it('shows the state, transport and round-trip time', async () => {
    const page = await open({ path: '/x/ws-refuse/realtime' });
    await expectOpenVia(page, 'sse', 'demo status');
    await page.waitForFunction(() => document.getElementById('rtt')!.textContent!.endsWith(' ms'), null, { timeout: 5000 });
    expect(await page.textContent('#pill')).toBe('open');
    expect(await page.getAttribute('#pill', 'class')).toBe('pill open');
    expect(await page.textContent('#transport')).toBe('sse');
    expect(await page.inputValue('#path')).toBe('/x/ws-refuse/realtime');
  });
});
