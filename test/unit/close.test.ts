// close() wins whatever the client is doing: nothing is tried afterwards and no timer is left.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeError } from '../../src';
import { rig, settle, tick } from './helpers/client';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('close()', () => {
  it('from idle: state closed, one close event', () => {
    const r = rig();
    r.client.close();
    expect(r.client.state).toBe('closed');
    expect(r.of('state')).toEqual([{ from: 'idle', to: 'closed' }]);
    expect(r.of('close')).toEqual([{ code: 1000, reason: 'closed by client' }]);
  });

  it('twice: the second call does nothing', async () => {
    const r = rig();
    settle(r.client.connect());
    await tick();
    r.WS.last().hello();
    r.client.close();
    r.client.close();
    expect(r.of('close')).toHaveLength(1);
    expect(r.WS.last().envelopes().filter((e) => e.type == '$close')).toHaveLength(1);
  });

  it('while connecting: the pending socket is closed, no other transport is tried, connect() rejects', async () => {
    const r = rig();
    const ready = settle(r.client.connect());
    await tick();
    const ws = r.WS.last();
    r.client.close();
    await tick();
    expect(ws.closeCalls).toEqual([1000]); // the application's own close, not a give-up (4000)
    expect(ready.result).toBeInstanceOf(RealtimeError);
    expect((ready.result as Error).message).toBe('client closed: closed by client');
    expect(r.client.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await tick(60000);
    expect(r.ES.instances).toHaveLength(0);
    expect(r.http.requests).toHaveLength(0);
    expect(r.of('reconnecting')).toEqual([]);
  });

  it('while the query function is still resolving: no socket is ever created', async () => {
    let give: (q: Record<string, string>) => void = () => {};
    const r = rig({ query: () => new Promise((resolve) => (give = resolve)) });
    const ready = settle(r.client.connect());
    await tick();
    r.client.close();
    give({ token: 'late' });
    await tick(60000);
    expect(r.WS.instances).toHaveLength(0);
    expect(ready.result).toBeInstanceOf(RealtimeError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an old socket that answers after close() cannot reopen the client', async () => {
    const r = rig({ transports: ['websocket'] });
    settle(r.client.connect());
    await tick();
    const ws = r.WS.last();
    r.client.close();
    ws.readyState = 0; // pretend the browser had not processed the close yet
    ws.hello();
    await tick();
    expect(r.client.state).toBe('closed');
    expect(r.of('open')).toEqual([]);
  });

  it('during the backoff wait: no further attempt, no timer left', async () => {
    const r = rig({ transports: ['websocket'] });
    settle(r.client.connect());
    await tick();
    r.WS.last().hello();
    r.WS.last().drop(1006);
    await tick();
    expect(r.client.state).toBe('reconnecting');
    expect(vi.getTimerCount()).toBe(1);
    r.client.close();
    expect(vi.getTimerCount()).toBe(0);
    await tick(60000);
    expect(r.WS.instances).toHaveLength(1);
    expect(r.of('close')).toEqual([{ code: 1000, reason: 'closed by client' }]);
  });

  it('during a reconnection attempt: the attempt is abandoned, no timer left', async () => {
    const r = rig();
    settle(r.client.connect());
    await tick();
    r.WS.last().hello();
    r.WS.last().drop(1006);
    await tick(500);
    const retry = r.WS.last();
    expect(r.WS.instances).toHaveLength(2);
    r.client.close();
    await tick();
    expect(retry.closeCalls).toEqual([1000]);
    expect(vi.getTimerCount()).toBe(0);
    await tick(60000);
    expect(r.ES.instances).toHaveLength(0);
  });

  it('while open: says $close 1000 to the server, closes the socket, and stops the heartbeat', async () => {
    const r = rig();
    settle(r.client.connect());
    await tick();
    const ws = r.WS.last();
    ws.hello();
    r.client.close();
    expect(ws.envelopes().at(-1)).toEqual({ type: '$close', data: { code: 1000 }, ack: 0 });
    expect(ws.closeCalls).toEqual([1000]);
    expect(vi.getTimerCount()).toBe(0);
    expect(r.of('state').at(-1)).toEqual({ from: 'open', to: 'closed' });
  });

  it.each(['state', 'transport'] as const)('from a `%s` listener as the connection opens: no `open` event after `close`', async (event) => {
    const r = rig();
    r.client.on(event, () => r.client.state == 'open' && r.client.close());
    const ready = settle(r.client.connect());
    await tick();
    r.WS.last().hello();
    await tick();
    const names = r.events.map(([n]) => n);
    expect(names.at(-1)).toBe('close');
    expect(names.filter((n) => n == 'close')).toHaveLength(1);
    expect(r.client.state).toBe('closed');
    expect(ready.result).toBeInstanceOf(RealtimeError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports the messages still queued that will never be sent', async () => {
    const r = rig();
    settle(r.client.connect());
    r.client.send('a');
    r.client.send('b');
    r.client.close();
    expect(r.of('error').map((e) => e.message)).toEqual([
      '2 message(s) not acknowledged by the server when the client closed; they may not have arrived',
    ]);
  });

  it('reports the messages sent but not acknowledged, and not those acknowledged', async () => {
    const r = rig({ transports: ['websocket'] });
    settle(r.client.connect());
    await tick();
    r.WS.last().hello({ ack: 0 });
    r.client.send('a');
    r.client.send('b');
    r.client.send('c');
    r.WS.last().receive({ type: '$ack', ack: 2 });
    r.client.close();
    expect(r.of('error').map((e) => e.message)).toEqual([
      '1 message(s) not acknowledged by the server when the client closed; they may not have arrived',
    ]);
  });

  it('nothing is reported by a server that does not acknowledge: what was sent is gone', async () => {
    const r = rig({ transports: ['websocket'] });
    settle(r.client.connect());
    await tick();
    r.WS.last().hello();
    r.client.send('a');
    r.client.close();
    expect(r.of('error')).toEqual([]);
  });

  it('called by a listener in the middle of a batch: the rest of the batch is not delivered', async () => {
    const r = rig({ transports: ['long-polling'] });
    settle(r.client.connect());
    await tick();
    r.http.one('/poll').respond(200, [{ type: '$hello', data: { sid: 'P1' } }]);
    await tick();
    r.client.onMessage('bye', () => r.client.close());
    r.http.one('/poll').respond(200, [{ type: 'chat', data: 1 }, { type: 'bye' }, { type: 'chat', data: 2 }]);
    await tick();
    expect(r.of('message').map((m) => m.type)).toEqual(['chat', 'bye']);
    expect(r.http.pending('/poll')).toHaveLength(0);
  });

  it('a server $close in a batch ends delivery: what follows it is dropped', async () => {
    const r = rig({ transports: ['websocket'] });
    settle(r.client.connect());
    await tick();
    r.WS.last().hello();
    r.WS.last().receive([{ type: 'chat', data: 1 }, { type: '$close', data: { code: 4001, reason: 'unauthorized' } }, { type: 'chat', data: 2 }]);
    expect(r.of('message').map((m) => m.data)).toEqual([1]);
    expect(r.of('close')).toEqual([{ code: 4001, reason: 'unauthorized' }]);
  });

  it('a poll response that arrives as close() is called is not delivered', async () => {
    const r = rig({ transports: ['long-polling'] });
    settle(r.client.connect());
    await tick();
    r.http.one('/poll').respond(200, [{ type: '$hello', data: { sid: 'P1' } }]);
    await tick();
    r.http.one('/poll').respond(200, [{ type: 'chat', data: 'late' }]);
    r.client.close();
    await tick();
    expect(r.of('message')).toEqual([]);
    expect(r.http.pending('/poll')).toHaveLength(0);
  });
});
