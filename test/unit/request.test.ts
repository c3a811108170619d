// request() through the client (PROTOCOL.md 5.5): a message with an id, answered
// by a reply that carries `re`; and client.sid, the session it travels in.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeError, ServerError, TimeoutError, type ClientOptions } from '../../src';
import { rig, settle, tick, type Rig } from './helpers/client';
import type { FakeWebSocket } from './helpers/fake-websocket';
import { outcome } from './helpers/outcome';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A client open on WebSocket with a server that acknowledges. */
async function open(options: ClientOptions = {}): Promise<Rig> {
  const r = rig({ transports: ['websocket'], ...options });
  settle(r.client.connect());
  await tick();
  r.WS.last().hello({ ack: 0 });
  await tick();
  return r;
}


/** The requests the server received on `ws`. */
const requests = (ws: FakeWebSocket) => ws.envelopes().filter((e) => e.id !== undefined);

describe('request()', () => {
  it('sends the message with an id, and resolves with the data of the reply that names it', async () => {
    const r = await open();
    const ws = r.WS.last();
    const sum = outcome(r.client.request<number>('sum', [1, 2, 3]));
    const [req] = requests(ws);
    expect(req).toEqual({ type: 'sum', data: [1, 2, 3], seq: 1, id: expect.any(String), ack: 0 });
    ws.receive({ type: 'sum', data: 6, seq: 1, re: req!.id, ack: 1 });
    await tick();
    expect(sum).toEqual({ value: 6, settled: true });
    r.client.close();
    expect(r.of('error')).toEqual([]); // the reply acknowledged it: nothing kept at close
  });

  it('concurrent requests each get their own reply, in whatever order the replies come', async () => {
    const r = await open();
    const ws = r.WS.last();
    const a = outcome(r.client.request('time'));
    const b = outcome(r.client.request('time'));
    const [ra, rb] = requests(ws);
    expect(ra!.id).not.toBe(rb!.id);
    ws.receive({ type: 'time', data: 'for b', seq: 1, re: rb!.id });
    ws.receive({ type: 'time', data: 'for a', seq: 2, re: ra!.id });
    await tick();
    expect([a.value, b.value]).toEqual(['for a', 'for b']);
    r.client.close();
  });

  it('a reply is not a `message`, nor heard by onMessage for its type', async () => {
    const r = await open();
    const heard: unknown[] = [];
    r.client.onMessage('time', (m) => heard.push(m));
    const p = r.client.request('time');
    r.WS.last().receive({ type: 'time', data: 42, seq: 1, re: requests(r.WS.last())[0]!.id });
    await expect(p).resolves.toBe(42);
    r.WS.last().receive({ type: 'time', data: 'pushed', seq: 2 });
    expect(r.of('message').map((m) => m.data)).toEqual(['pushed']);
    expect(heard).toHaveLength(1);
    r.client.close();
  });

  it('an error reply rejects with a ServerError carrying the server\'s code and message', async () => {
    const r = await open();
    const p = r.client.request('sum', 'nope');
    r.WS.last().receive({
      type: 'sum',
      error: { code: 'bad_request', message: 'data must be an array of numbers' },
      seq: 1,
      re: requests(r.WS.last())[0]!.id,
    });
    const e = await p.catch((e: unknown) => e);
    expect(e).toBeInstanceOf(ServerError);
    expect(e).toMatchObject({ code: 'bad_request', message: 'data must be an array of numbers' });
    expect(r.of('message')).toEqual([]);
    r.client.close();
  });

  it('no reply in time: rejects with a TimeoutError after the request\'s timeout, 10 s by default', async () => {
    const r = await open();
    const own = outcome(r.client.request('slow', null, { timeout: 500 }));
    const dflt = outcome(r.client.request('slow'));
    await tick(499);
    expect(own.settled).toBe(false);
    await tick(1);
    expect(own.error).toBeInstanceOf(TimeoutError);
    expect(own.error).toMatchObject({ timeout: 500, message: 'request "slow" got no reply within 500 ms' });
    await tick(10000 - 501);
    expect(dflt.settled).toBe(false);
    await tick(1);
    expect(dflt.error).toMatchObject({ name: 'TimeoutError', timeout: 10000 });
    expect(r.client.state).toBe('open'); // a slow server is not a lost connection
    r.client.close();
  });

  it('close() rejects every pending request with a RealtimeError', async () => {
    const r = await open();
    const a = outcome(r.client.request('a'));
    const b = outcome(r.client.request('b', 1));
    r.client.close();
    await tick();
    for (const o of [a, b]) {
      expect(o.error).toBeInstanceOf(RealtimeError);
      expect(o.error!.message).toBe('request not answered: client closed: closed by client');
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a request made while reconnecting goes out after the resume, and its reply resolves it', async () => {
    const r = await open();
    r.WS.last().drop(1006);
    await tick();
    const p = outcome(r.client.request('time'));
    await tick(500);
    const ws = r.WS.last();
    expect(requests(ws)).toEqual([]);
    ws.hello({ resumed: true, ack: 0 });
    const [req] = requests(ws);
    expect(req).toMatchObject({ type: 'time', seq: 1 });
    ws.receive({ type: 'time', data: 1234, seq: 1, re: req!.id });
    await tick();
    expect(p).toEqual({ value: 1234, settled: true });
    r.client.close();
  });

  it('a request lost with the connection is sent again on resume, with its id, and answered once', async () => {
    const r = await open();
    const p = outcome(r.client.request('time'));
    const [first] = requests(r.WS.last());
    r.WS.last().drop(1006);
    await tick(500);
    const ws = r.WS.last();
    ws.hello({ resumed: true, ack: 0 });
    expect(requests(ws)).toEqual([{ ...first, ack: 0 }]);
    ws.receive([
      { type: 'time', data: 1, seq: 1, re: first!.id },
      { type: 'time', data: 1, seq: 1, re: first!.id }, // the server's replay of it: a duplicate
    ]);
    await tick();
    expect(p).toEqual({ value: 1, settled: true });
    expect(r.of('message')).toEqual([]);
    r.client.close();
  });

  it.each<[string, () => [string, unknown, { timeout?: number }?]]>([
    ['an empty type', () => ['', 1]],
    ['a protocol type', () => ['$ping', 1]],
    ['a BigInt in data', () => ['sum', [1n]]],
    ['a cycle in data', () => { const o: Record<string, unknown> = {}; o.o = o; return ['sum', o]; }],
    ['timeout 0', () => ['sum', 1, { timeout: 0 }]],
    ['a negative timeout', () => ['sum', 1, { timeout: -1 }]],
  ])('throws a TypeError at once for %s, and sends nothing', async (_what, args) => {
    const r = await open();
    const timers = vi.getTimerCount();
    const [type, data, options] = args();
    expect(() => r.client.request(type, data, options)).toThrow(TypeError);
    expect(vi.getTimerCount()).toBe(timers); // no deadline left running
    expect(requests(r.WS.last())).toEqual([]);
    r.client.send('next');
    expect(r.WS.last().envelopes().at(-1)).toMatchObject({ type: 'next', seq: 1 }); // no number used up
    r.client.close();
  });

  it('throws a RealtimeError before connect() and after close()', async () => {
    const r = rig();
    expect(() => r.client.request('time')).toThrow(RealtimeError);
    r.client.close();
    expect(() => r.client.request('time')).toThrow('send: client is closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  // README: "A request that timed out may still reach the server (its reply is then dropped)."
  it('a reply that comes after the timeout is dropped, not emitted as a message', async () => {
    const r = await open();
    const p = outcome(r.client.request('slow', null, { timeout: 500 }));
    await tick(500);
    expect(p.error).toBeInstanceOf(TimeoutError);
    r.WS.last().receive({ type: 'slow', data: 'late', seq: 1, re: requests(r.WS.last())[0]!.id });
    r.WS.last().receive({ type: 'chat', data: 'next', seq: 2 });
    expect(r.of('message').map((m) => m.data)).toEqual(['next']); // dropped, yet counted: no gap
    r.client.close();
  });

  // A timeout beyond what timers can hold (2^31 - 1 ms) would make setTimeout fire at once: refused up front.
  it.each([Infinity, 2 ** 31])('timeout %s does not fail the request at once', async (timeout) => {
    const r = await open();
    let p: ReturnType<typeof outcome> | undefined;
    try {
      p = outcome(r.client.request('slow', null, { timeout }));
    } catch (e) {
      expect(e).toBeInstanceOf(TypeError); // refused up front: fine too
    }
    await tick(1000);
    expect(p?.settled ?? false).toBe(false);
    r.client.close();
  });
});

describe('client.sid', () => {
  it('is null before the first connection, the server\'s once open, kept across a resume, replaced by a reset', async () => {
    const r = rig({ transports: ['websocket'] });
    expect(r.client.sid).toBeNull();
    settle(r.client.connect());
    await tick();
    expect(r.client.sid).toBeNull();
    r.WS.last().hello({ sid: 'S1', ack: 0 });
    expect(r.client.sid).toBe('S1');
    r.WS.last().drop(1006);
    await tick();
    expect(r.client.sid).toBe('S1'); // still the session it will ask to resume
    await tick(500);
    r.WS.last().hello({ sid: 'S1', resumed: true, ack: 0 });
    expect(r.client.sid).toBe('S1');
    r.WS.last().drop(1006);
    await tick(1000);
    r.WS.last().hello({ sid: 'S2', resumed: false, ack: 0 });
    expect(r.client.sid).toBe('S2');
    r.client.close();
  });
});
