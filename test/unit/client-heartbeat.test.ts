// Heartbeats through the client: pings, liveness, round-trip time, answering the server.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../src';
import { rig, settle, tick, withoutAck, type Rig } from './helpers/client';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function open(heartbeat = 25000, options = {}): Promise<Rig> {
  const r = rig({ transports: ['websocket'], ...options });
  settle(r.client.connect());
  await tick();
  r.WS.last().hello({ heartbeat });
  await tick();
  return r;
}

const sentOf = (r: Rig, type: string) => r.WS.last().envelopes().filter((e) => e.type == type);

describe('heartbeat', () => {
  it('pings at once, then every interval the server announced', async () => {
    const r = await open(1000);
    expect(sentOf(r, '$ping')).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await tick(1000);
      r.WS.last().receive({ type: '$pong' });
    }
    expect(sentOf(r, '$ping')).toHaveLength(4);
    r.client.close();
  });

  it('the heartbeat.interval option overrides the server\'s', async () => {
    const r = await open(1000, { heartbeat: { interval: 5000 } });
    await tick(4999);
    expect(sentOf(r, '$ping')).toHaveLength(1);
    await tick(1);
    expect(sentOf(r, '$ping')).toHaveLength(2);
    r.client.close();
  });

  it('falls back to a 25 s interval when the server announces none', async () => {
    const r = await open(0);
    await tick(24999);
    expect(sentOf(r, '$ping')).toHaveLength(1);
    await tick(1);
    expect(sentOf(r, '$ping')).toHaveLength(2);
    r.client.close();
  });

  it('a silent server is declared dead after interval + timeout, and the client reconnects', async () => {
    const r = await open(1000, { heartbeat: { timeout: 2000 } });
    const ws = r.WS.last();
    await tick(2999);
    expect(r.client.state).toBe('open');
    await tick(1);
    expect(r.client.state).toBe('reconnecting');
    const e = r.of('reconnecting')[0]!.error;
    expect(e).toBeInstanceOf(TransportError);
    expect(e.message).toBe('websocket: silent for 3000 ms, presumed dead');
    expect(ws.closeCalls).toEqual([4000]);
    await tick(500);
    expect(r.WS.instances).toHaveLength(2);
    r.client.close();
  });

  it('a server that keeps talking is never declared dead', async () => {
    const r = await open(25000);
    for (let i = 0; i < 20; i++) {
      await tick(25000);
      r.WS.last().receive({ type: '$ping' });
    }
    expect(r.client.state).toBe('open');
    expect(r.of('reconnecting')).toEqual([]);
    r.client.close();
  });

  it('any message counts as a sign of life, not only pings', async () => {
    const r = await open(1000, { heartbeat: { timeout: 1000 } });
    for (let i = 0; i < 10; i++) {
      await tick(1500);
      r.WS.last().receive({ type: 'chat', data: i });
    }
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('measures the round-trip time from the $pong that echoes the ping', async () => {
    const r = await open();
    expect(r.client.rtt).toBeNull();
    const [ping] = sentOf(r, '$ping');
    await tick(42);
    r.WS.last().receive({ type: '$pong', data: ping!.data });
    expect(r.client.rtt).toBe(42);
    r.client.close();
  });

  it('ignores a $pong without a usable timestamp', async () => {
    const r = await open();
    r.WS.last().receive({ type: '$pong', data: { t: 'x' } });
    r.WS.last().receive({ type: '$pong' });
    expect(r.client.rtt).toBeNull();
    expect(r.of('error')).toEqual([]);
    r.client.close();
  });

  it('answers the server\'s $ping with a $pong carrying the same data', async () => {
    const r = await open();
    r.WS.last().receive({ type: '$ping', data: { n: 1, s: 'x' } });
    r.WS.last().receive({ type: '$ping' });
    expect(sentOf(r, '$pong').map(withoutAck)).toEqual([{ type: '$pong', data: { n: 1, s: 'x' } }, { type: '$pong' }]);
    expect(r.of('message')).toEqual([]);
    r.client.close();
  });

  it('heartbeat: false sends no pings and never declares the connection dead', async () => {
    const r = await open(1000, { heartbeat: false });
    await tick(10 * 60000);
    expect(sentOf(r, '$ping')).toEqual([]);
    expect(r.client.state).toBe('open');
    r.client.close();
  });
});
