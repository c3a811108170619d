// The browser's online/offline events, from the injected `network` EventTarget.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../src';
import { rig, settle, tick, type Rig } from './helpers/client';

let network: EventTarget;
const offline = () => network.dispatchEvent(new Event('offline'));
const online = () => network.dispatchEvent(new Event('online'));

beforeEach(() => {
  vi.useFakeTimers();
  network = new EventTarget();
});
afterEach(() => {
  vi.useRealTimers();
});

async function open(): Promise<Rig> {
  const r = rig({ transports: ['websocket'], network });
  settle(r.client.connect());
  await tick();
  r.WS.last().hello();
  await tick();
  return r;
}

describe('network events', () => {
  it('while offline, a lost connection waits for `online` (delay Infinity) instead of burning attempts', async () => {
    const r = await open();
    offline();
    r.WS.last().drop(1006);
    await tick(10 * 60000);
    expect(r.client.state).toBe('reconnecting');
    expect(r.of('reconnecting').map(({ attempt, delay }) => ({ attempt, delay }))).toEqual([{ attempt: 1, delay: Infinity }]);
    expect(r.of('reconnecting')[0]!.error).toBeInstanceOf(TransportError);
    expect(r.WS.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    online();
    await tick();
    expect(r.WS.instances).toHaveLength(2);
    r.WS.last().drop(1006);
    await tick();
    // The wait did not count as an attempt: the first real one is still attempt 1.
    expect(r.of('reconnecting').map(({ attempt, delay }) => ({ attempt, delay }))).toEqual([
      { attempt: 1, delay: Infinity },
      { attempt: 1, delay: 500 },
    ]);
    r.client.close();
  });

  it('going offline during the backoff wait: no attempt until `online`', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick();
    expect(r.of('reconnecting')[0]!.delay).toBe(500);
    offline();
    // Listeners learn that the next attempt now waits for the network.
    expect(r.of('reconnecting').map((e) => e.delay)).toEqual([500, Infinity]);
    await tick(10 * 60000);
    expect(r.WS.instances).toHaveLength(1);
    online();
    await tick();
    expect(r.WS.instances).toHaveLength(2);
    r.client.close();
  });

  it('`online` during a long backoff wait tries at once', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick();
    online();
    await tick();
    expect(r.WS.instances).toHaveLength(2);
    r.WS.last().hello();
    await tick();
    expect(r.client.state).toBe('open');
    await tick(500);
    expect(r.WS.instances).toHaveLength(2); // the cancelled wait does not fire later
    r.client.close();
  });

  it('`online` while an attempt is under way does not start another', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick(500);
    expect(r.WS.instances).toHaveLength(2);
    online();
    await tick();
    expect(r.WS.instances).toHaveLength(2);
    r.client.close();
  });

  it('`online` while open checks the connection at once with a ping, and a dead one is replaced', async () => {
    const r = await open();
    const ws = r.WS.last();
    const pings = () => ws.envelopes().filter((e) => e.type == '$ping').length;
    expect(pings()).toBe(1);
    online();
    expect(pings()).toBe(2);
    await tick(10000);
    expect(r.client.state).toBe('reconnecting');
    expect(r.of('reconnecting')[0]!.error.message).toMatch(/presumed dead/);
    expect(ws.closeCalls).toHaveLength(1);
    r.client.close();
  });

  it('listens to the network only between connect() and close()', async () => {
    const add = vi.spyOn(network, 'addEventListener');
    const remove = vi.spyOn(network, 'removeEventListener');
    const r = rig({ network });
    expect(add).not.toHaveBeenCalled();
    settle(r.client.connect());
    expect(add.mock.calls.map((c) => c[0]).sort()).toEqual(['offline', 'online']);
    r.client.close();
    expect(remove.mock.calls.map((c) => c[0]).sort()).toEqual(['offline', 'online']);
    expect(remove.mock.calls.map((c) => c[1])).toEqual(add.mock.calls.map((c) => c[1]));
  });
});
