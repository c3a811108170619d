// Reconnection after a connection is lost: timing, transport order, and the ways it ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectError, RealtimeError, TransportError, type ReconnectPolicy } from '../../src';
import { rig, settle, tick, type Rig } from './helpers/client';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A client open on WebSocket. */
async function open(options = {}): Promise<Rig> {
  const r = rig({ transports: ['websocket'], ...options });
  settle(r.client.connect());
  await tick();
  r.WS.last().hello();
  await tick();
  expect(r.client.state).toBe('open');
  return r;
}

/** Refuses the WebSocket the client is trying now. */
async function refuse(r: Rig): Promise<void> {
  r.WS.last().drop(1006);
  await tick();
}

describe('reconnection', () => {
  it('after a drop, reports `reconnecting` with attempt and delay, growing per backoff', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick();
    expect(r.client.state).toBe('reconnecting');
    await tick(500);
    await refuse(r);
    await tick(1000);
    await refuse(r);
    expect(r.of('reconnecting').map(({ attempt, delay }) => ({ attempt, delay }))).toEqual([
      { attempt: 1, delay: 500 },
      { attempt: 2, delay: 1000 },
      { attempt: 3, delay: 2000 },
    ]);
    expect(r.of('reconnecting')[0]!.error).toBeInstanceOf(TransportError);
    expect(r.of('reconnecting')[1]!.error).toBeInstanceOf(ConnectError);
    r.client.close();
  });

  it('waits the delay before the next attempt, and jitter (from the random option) shortens it', async () => {
    const r = await open({ random: () => 0.9999 });
    r.WS.last().drop(1006);
    await tick(249);
    expect(r.WS.instances).toHaveLength(1);
    await tick(1);
    expect(r.WS.instances).toHaveLength(2);
    expect(r.of('reconnecting')[0]!.delay).toBe(250);
    r.client.close();
  });

  it('once a connection has lasted 5 s, the attempt count starts over', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick(500);
    await refuse(r);
    await tick(1000);
    r.WS.last().hello();
    await tick();
    expect(r.client.state).toBe('open');
    await tick(5000);
    r.WS.last().drop(1006);
    await tick();
    expect(r.of('reconnecting').map((e) => e.attempt)).toEqual([1, 2, 1]);
    r.client.close();
  });

  it('a server that accepts and drops at once does not reset the backoff', async () => {
    const r = await open();
    await tick(5000);
    for (let i = 0; i < 3; i++) {
      r.WS.last().drop(1006);
      await tick();
      await tick(r.of('reconnecting').at(-1)!.delay);
      r.WS.last().hello();
      await tick();
      expect(r.client.state).toBe('open');
    }
    expect(r.of('reconnecting').map((e) => e.delay)).toEqual([500, 1000, 2000]);
    r.client.close();
  });

  /** A client whose WebSocket was refused, open on SSE. */
  async function onSseAfterFallback(): Promise<Rig> {
    const r = rig();
    settle(r.client.connect());
    await tick();
    r.WS.last().drop(1006);
    await tick();
    r.ES.last().hello();
    await tick();
    return r;
  }

  it('tries the transport that worked last first', async () => {
    const r = await onSseAfterFallback();
    expect(r.client.transport).toBe('sse');
    r.ES.last().fail();
    await tick(500);
    expect(r.ES.instances).toHaveLength(2);
    expect(r.WS.instances).toHaveLength(1);
    expect(r.client.transport).toBe('sse'); // still names the last one while reconnecting
    r.ES.last().fail();
    await tick();
    expect(r.WS.instances).toHaveLength(2); // then the others, in order
    r.client.close();
  });

  it('five minutes after falling back, reconnects start with the first choice again', async () => {
    const r = await onSseAfterFallback();
    // Five minutes of an SSE connection that just works (the server's pings keep it alive)…
    for (let i = 0; i < 60; i++) {
      await tick(5000);
      for (const post of r.http.pending('/send')) post.respond(204);
      if (i % 4 == 0) r.ES.last().emit({ type: '$ping' });
    }
    expect(r.ES.instances).toHaveLength(1);
    r.ES.last().fail();
    await tick(500);
    expect(r.WS.instances).toHaveLength(2); // WebSocket first again: the failure may have been transient
    r.WS.last().hello();
    await tick();
    expect(r.client.transport).toBe('websocket');
    r.client.close();
  });

  it('server $close without reconnect: `close` with its code and reason, and no reconnection', async () => {
    const r = await open();
    r.WS.last().receive({ type: '$close', data: { code: 4003, reason: 'kicked' } });
    await tick();
    expect(r.client.state).toBe('closed');
    expect(r.of('close')).toEqual([{ code: 4003, reason: 'kicked' }]);
    expect(r.of('reconnecting')).toEqual([]);
    expect(r.WS.last().closeCalls).toHaveLength(1);
    expect(r.WS.last().sent.some((s) => s.includes('$close'))).toBe(false);
    await tick(60000);
    expect(r.WS.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('server $close with reconnect: true reconnects, as after a drop', async () => {
    const r = await open();
    r.WS.last().receive({ type: '$close', data: { code: 1012, reason: 'restart', reconnect: true } });
    await tick();
    expect(r.client.state).toBe('reconnecting');
    expect(r.of('close')).toEqual([]);
    expect(r.of('reconnecting')[0]!.error).toMatchObject({ code: 1012 });
    await tick(500);
    r.WS.last().hello();
    await tick();
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('gives up after maxAttempts: an error, then `close`', async () => {
    const r = await open({ reconnect: { maxAttempts: 2 } });
    r.WS.last().drop(1006);
    await tick(500);
    await refuse(r);
    await tick(1000);
    await refuse(r);
    expect(r.of('reconnecting').map((e) => e.attempt)).toEqual([1, 2]);
    expect(r.client.state).toBe('closed');
    expect(r.of('error').at(-1)).toBeInstanceOf(ConnectError);
    const [c] = r.of('close');
    expect(c!.code).toBeUndefined();
    expect(c!.reason).toMatch(/^gave up reconnecting after 2 attempt\(s\)/);
    expect(r.WS.instances).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('maxAttempts: 0 closes on the first drop', async () => {
    const r = await open({ reconnect: { maxAttempts: 0 } });
    r.WS.last().drop(1006);
    await tick();
    expect(r.of('reconnecting')).toEqual([]);
    expect(r.client.state).toBe('closed');
  });

  it('a policy function decides each delay from the attempt and the error, and null closes', async () => {
    const calls: { attempt: number; error: RealtimeError }[] = [];
    const policy: ReconnectPolicy = (ctx) => (calls.push(ctx), ctx.attempt < 3 ? ctx.attempt * 100 : null);
    const r = await open({ reconnect: policy });
    r.WS.last().drop(1006);
    await tick(100);
    await refuse(r);
    await tick(200);
    await refuse(r);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(calls[0]!.error).toBeInstanceOf(TransportError);
    expect(r.of('reconnecting').map((e) => e.delay)).toEqual([100, 200]);
    expect(r.client.state).toBe('closed');
    expect(r.of('close')).toHaveLength(1);
  });

  it('when the first connect() fails, it rejects, and reconnection carries on in the background', async () => {
    const r = rig({ transports: ['websocket'] });
    const first = settle(r.client.connect());
    await tick();
    await refuse(r);
    expect(first.result).toBeInstanceOf(ConnectError);
    expect(r.client.state).toBe('reconnecting');
    const second = settle(r.client.connect());
    await tick(500);
    r.WS.last().hello();
    await tick();
    expect(second.result).toBe('resolved');
    r.client.close();
  });

  it('connect() while reconnecting after a drop resolves only once the connection is back', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick();
    const again = settle(r.client.connect());
    await tick(500);
    expect(again.result).toBe('pending');
    r.WS.last().hello();
    await tick();
    expect(again.result).toBe('resolved');
    r.client.close();
  });
});
