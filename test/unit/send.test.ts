// send(), the outbox, and per-type listening.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeError } from '../../src';
import { rig, settle, tick, withoutAck, type Rig } from './helpers/client';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function connecting(options = {}): Promise<Rig> {
  const r = rig({ transports: ['websocket'], ...options });
  settle(r.client.connect());
  await tick();
  return r;
}

const appSent = (r: Rig) => r.WS.last().envelopes().filter((e) => e.type[0] != '$');

describe('send()', () => {
  it('queues while connecting and sends in order on open, numbered 1..n, after the first ping', async () => {
    const r = await connecting();
    r.client.send('a', 1);
    r.client.send('b', { x: 2 });
    r.client.send('c');
    r.WS.last().hello();
    expect(r.WS.last().envelopes().map(withoutAck)).toEqual([
      { type: '$ping', data: { t: expect.any(Number) } },
      { type: 'a', data: 1, seq: 1 },
      { type: 'b', data: { x: 2 }, seq: 2 },
      { type: 'c', seq: 3 },
    ]);
    r.client.close();
  });

  it('what `open` listeners send goes after the queued messages', async () => {
    const r = await connecting();
    r.client.on('open', () => r.client.send('from-open'));
    r.client.send('queued');
    r.WS.last().hello();
    expect(appSent(r).map((e) => [e.type, e.seq])).toEqual([
      ['queued', 1],
      ['from-open', 2],
    ]);
    r.client.close();
  });

  it('what a `state` listener sends on open also goes after the queued messages', async () => {
    const r = await connecting();
    r.client.on('state', ({ to }) => to == 'open' && r.client.send('from-state'));
    r.client.send('queued');
    r.WS.last().hello();
    expect(r.WS.last().envelopes().map((e) => [e.type, e.seq])).toEqual([
      ['$ping', undefined],
      ['queued', 1],
      ['from-state', 2],
    ]);
    r.client.close();
  });

  it('queues while reconnecting; a server that does not acknowledge gets no second copy, and a new session numbers from 1', async () => {
    const r = await connecting();
    r.WS.last().hello(); // no `ack`: this server does not acknowledge, so nothing is kept once sent
    r.client.send('before');
    r.WS.last().drop(1006);
    await tick();
    r.client.send('during');
    await tick(500);
    r.WS.last().hello({ sid: 'sid-2' });
    expect(appSent(r).map(withoutAck)).toEqual([{ type: 'during', seq: 1 }]);
    r.client.close();
  });

  it.each<[string, unknown]>([
    ['an empty type', ''],
    ['a protocol type', '$ping'],
    ['a non-string type', 5],
  ])('throws a TypeError for %s', async (_what, type) => {
    const r = await connecting();
    expect(() => r.client.send(type as string)).toThrow(TypeError);
    r.WS.last().hello();
    expect(appSent(r)).toEqual([]);
    r.client.close();
  });

  it.each<[string, unknown]>([
    ['a BigInt', { n: 1n }],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.o = o; return o; })()],
    ['a function', { f() {} }],
  ])('throws a TypeError for data holding %s, and sends nothing', async (_what, data) => {
    const r = await connecting();
    expect(() => r.client.send('x', data)).toThrow(TypeError);
    r.WS.last().hello();
    expect(appSent(r)).toEqual([]);
    r.client.close();
  });

  it('throws before connect() and after close()', async () => {
    const r = rig();
    expect(() => r.client.send('x')).toThrow(RealtimeError);
    expect(() => r.client.send('x')).toThrow('send: client is idle; call connect() first');
    r.client.close();
    expect(() => r.client.send('x')).toThrow('send: client is closed');
  });

  it('throws when the outbox is full, and keeps what it already holds', async () => {
    const r = await connecting({ outboxLimit: 2 });
    r.client.send('a');
    r.client.send('b');
    expect(() => r.client.send('c')).toThrow(RealtimeError);
    expect(() => r.client.send('c')).toThrow('send: outbox full (2 messages not yet acknowledged)');
    r.WS.last().hello();
    expect(appSent(r).map((e) => e.type)).toEqual(['a', 'b']);
    r.client.close();
  });

  it('outboxLimit below 1 is refused at construction', () => {
    expect(() => rig({ outboxLimit: 0 })).toThrow(TypeError);
    expect(() => rig({ outboxLimit: 0 })).toThrow('RealtimeClient: outboxLimit must be a number ≥ 1, got 0');
  });

  it('outboxLimit counts messages sent but not yet acknowledged; an ack makes room', async () => {
    const r = await connecting({ outboxLimit: 2 });
    r.WS.last().hello({ ack: 0 });
    r.client.send('a');
    r.client.send('b');
    expect(() => r.client.send('c')).toThrow('send: outbox full (2 messages not yet acknowledged)');
    // Both are still kept: after a drop, a resumed session gets both again.
    r.WS.last().drop(1006);
    await tick(500);
    r.WS.last().hello({ resumed: true, ack: 0 });
    expect(appSent(r).map((e) => [e.type, e.seq])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    r.WS.last().receive({ type: '$ack', ack: 1 });
    r.client.send('c');
    expect(appSent(r).map((e) => [e.type, e.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(() => r.client.send('d')).toThrow(/outbox full/);
    r.client.close();
  });
});

describe('onMessage()', () => {
  it('hears only its type, and stops when unsubscribed', async () => {
    const r = await connecting();
    r.WS.last().hello();
    const chats: unknown[] = [];
    const stop = r.client.onMessage<string>('chat', (m) => chats.push(m.data));
    r.WS.last().receive({ type: 'chat', data: 'one', seq: 1 });
    r.WS.last().receive({ type: 'news', data: 'other', seq: 2 });
    stop();
    r.WS.last().receive({ type: 'chat', data: 'two', seq: 3 });
    expect(chats).toEqual(['one']);
    expect(r.of('message').map((m) => m.data)).toEqual(['one', 'other', 'two']);
    r.client.close();
  });

  it('is not called for protocol envelopes, even with a listener on their type', async () => {
    const r = await connecting();
    const heard: unknown[] = [];
    r.client.onMessage('$hello', (m) => heard.push(m));
    r.client.onMessage('$ping', (m) => heard.push(m));
    r.WS.last().hello();
    r.WS.last().receive({ type: '$ping' });
    expect(heard).toEqual([]);
    r.client.close();
  });
});
