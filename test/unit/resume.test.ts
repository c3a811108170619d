// Session resume through the client (PROTOCOL.md section 5): after a drop, nothing
// is lost and nothing is delivered twice, whatever transport the session continues on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransportError, type ClientOptions } from '../../src';
import { rig, settle, tick, withoutAck, type Rig } from './helpers/client';
import type { FakeWebSocket, HelloData } from './helpers/fake-websocket';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A client open on WebSocket with a server that acknowledges (its `$hello` has `ack`). */
async function open(options: ClientOptions = {}, hello: HelloData = {}): Promise<Rig> {
  const r = rig({ transports: ['websocket'], ...options });
  settle(r.client.connect());
  await tick();
  r.WS.last().hello({ ack: 0, ...hello });
  await tick();
  expect(r.client.state).toBe('open');
  return r;
}

/** The connection drops; returns the socket of the attempt that follows the backoff delay. */
async function drop(r: Rig): Promise<FakeWebSocket> {
  const ws = r.WS.last();
  ws.drop(1006);
  await tick();
  await tick(r.of('reconnecting').at(-1)!.delay);
  expect(r.WS.last()).not.toBe(ws);
  return r.WS.last();
}

/** The server sends application messages numbered `from`..`to`, one frame. */
const serverSends = (ws: FakeWebSocket, from: number, to: number, extra = {}) =>
  ws.receive(Array.from({ length: to - from + 1 }, (_, i) => ({ type: 'chat', data: from + i, seq: from + i, ...extra })));

const appSent = (ws: FakeWebSocket) => ws.envelopes().filter((e) => e.type[0] != '$');
const delivered = (r: Rig) => r.of('message').map((m) => m.data);

describe('resume', () => {
  it('the reconnecting request names the session and the last message delivered', async () => {
    const r = await open({ query: { token: 'abc' } });
    expect(r.WS.last().url).toBe('ws://example.test/realtime/ws?v=1&token=abc');
    serverSends(r.WS.last(), 1, 3);
    const ws = await drop(r);
    expect(ws.url).toBe('ws://example.test/realtime/ws?v=1&sid=sid-1&last=3&token=abc');
    r.client.close();
  });

  it('resumed: what the server did not acknowledge is sent again with its seq, and nothing else', async () => {
    const r = await open();
    r.client.send('a');
    r.client.send('b');
    r.client.send('c');
    serverSends(r.WS.last(), 1, 1, { ack: 1 }); // acknowledges `a` on the way
    const ws = await drop(r);
    ws.hello({ resumed: true, ack: 2 }); // the server had `b` too
    await tick();
    expect(ws.envelopes()).toEqual([
      { type: '$ping', data: { t: expect.any(Number) }, ack: 1 },
      { type: 'c', seq: 3, ack: 1 },
    ]);
    r.client.send('d');
    expect(appSent(ws).map((e) => [e.type, e.seq])).toEqual([
      ['c', 3],
      ['d', 4],
    ]);
    expect(r.client.sid).toBe('sid-1');
    expect(r.of('reset')).toEqual([]);
    expect(r.of('open').map((e) => e.resumed)).toEqual([false, true]);
    r.client.close();
  });

  it('what the server acknowledged with $ack before the drop is not sent again', async () => {
    const r = await open();
    r.client.send('a');
    r.client.send('b');
    r.WS.last().receive({ type: '$ack', ack: 2 });
    const ws = await drop(r);
    ws.hello({ resumed: true, ack: 0 });
    expect(appSent(ws)).toEqual([]);
    r.client.close();
  });

  it('messages the server replays twice are delivered once, in order', async () => {
    const r = await open();
    serverSends(r.WS.last(), 1, 2);
    const ws = await drop(r);
    ws.hello({ resumed: true });
    serverSends(ws, 1, 3);
    ws.receive({ type: 'chat', data: 3, seq: 3 });
    serverSends(ws, 4, 4);
    expect(delivered(r)).toEqual([1, 2, 3, 4]);
    expect(r.of('error')).toEqual([]);
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('a gap in the numbers drops the connection, undelivered; resuming fills it', async () => {
    const r = await open();
    const ws1 = r.WS.last();
    ws1.receive([
      { type: 'chat', data: 1, seq: 1 },
      { type: 'chat', data: 3, seq: 3 },
      { type: 'chat', data: 4, seq: 4 },
    ]);
    expect(delivered(r)).toEqual([1]);
    expect(r.client.state).toBe('reconnecting');
    expect(ws1.closeCalls).toEqual([1000]);
    const [rc] = r.of('reconnecting');
    expect(rc!.error).toBeInstanceOf(TransportError);
    expect(rc!.error.message).toBe('websocket: gap in sequence after 1, resuming');
    await tick(500);
    const ws2 = r.WS.last();
    expect(ws2.url).toBe('ws://example.test/realtime/ws?v=1&sid=sid-1&last=1');
    ws2.hello({ resumed: true, ack: 0 });
    serverSends(ws2, 2, 4);
    expect(delivered(r)).toEqual([1, 2, 3, 4]);
    r.client.close();
  });

  it('reset: a `reset` event says why and how many were sent again; they are numbered from 1, and `last` starts over', async () => {
    const r = await open();
    serverSends(r.WS.last(), 1, 2);
    r.client.send('a');
    r.client.send('b');
    r.client.send('c');
    r.WS.last().receive({ type: '$ack', ack: 1 });
    const ws = await drop(r);
    expect(ws.url).toContain('sid=sid-1&last=2');
    // The server still knew the old session: its ack (in the old numbers) says it had `b` too.
    ws.hello({ sid: 'sid-2', resumed: false, reason: 'expired', ack: 2 });
    expect(r.of('reset')).toEqual([{ reason: 'expired', previous: 'sid-1', resent: 1 }]);
    expect(r.of('open').map((e) => e.resumed)).toEqual([false, false]);
    expect(r.client.sid).toBe('sid-2');
    expect(appSent(ws).map(withoutAck)).toEqual([{ type: 'c', seq: 1 }]);
    r.client.send('d');
    expect(appSent(ws).at(-1)).toMatchObject({ type: 'd', seq: 2 });
    // The new session's numbers start over: its seq 1 is new, not a duplicate.
    serverSends(ws, 1, 1, { data: 'new' });
    expect(delivered(r)).toEqual([1, 2, 'new']);
    const ws3 = await drop(r);
    expect(ws3.url).toBe('ws://example.test/realtime/ws?v=1&sid=sid-2&last=1');
    r.client.close();
  });

  it('reset by a server that forgot the session (ack 0): everything kept is sent again, from 1', async () => {
    const r = await open();
    r.client.send('a');
    r.client.send('b');
    const ws = await drop(r);
    r.client.send('c');
    ws.hello({ sid: 'sid-2', ack: 0 });
    expect(r.of('reset')).toEqual([{ reason: 'unknown_session', previous: 'sid-1', resent: 3 }]);
    expect(appSent(ws).map((e) => [e.type, e.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    r.client.close();
  });

  it('the session survives a change of transport: WebSocket lost, resumed on SSE', async () => {
    const r = await open({ transports: ['websocket', 'sse'] });
    serverSends(r.WS.last(), 1, 1);
    r.client.send('a');
    const ws = await drop(r);
    ws.drop(1006); // WebSocket is refused now
    await tick();
    const es = r.ES.last();
    expect(es.url).toBe('http://example.test/realtime/sse?v=1&sid=sid-1&last=1');
    es.hello({ resumed: true, ack: 0 });
    await tick();
    r.http.one('/send').respond(204); // the $ping
    await tick();
    const posts = r.http.requests.filter((q) => q.url.pathname.endsWith('/send'));
    expect(posts.every((q) => q.url.searchParams.get('sid') == 'sid-1')).toBe(true);
    expect(posts.flatMap((q) => q.json()).filter((e: { type: string }) => e.type[0] != '$')).toEqual([{ type: 'a', seq: 1, ack: 1 }]);
    expect(r.client.transport).toBe('sse');
    expect(r.client.sid).toBe('sid-1');
    expect(r.of('reset')).toEqual([]);
    es.emit([
      { type: 'chat', data: 1, seq: 1 },
      { type: 'chat', data: 2, seq: 2 },
    ]);
    expect(delivered(r)).toEqual([1, 2]);
    r.client.close();
  });

  it('messages sent while offline and reconnecting are sent after the resume, in order, after the unacknowledged ones', async () => {
    const network = new EventTarget();
    const r = await open({ network });
    r.client.send('a');
    network.dispatchEvent(new Event('offline'));
    r.WS.last().drop(1006);
    await tick();
    r.client.send('b');
    r.client.send('c');
    await tick(60000);
    expect(r.WS.instances).toHaveLength(1);
    network.dispatchEvent(new Event('online'));
    await tick();
    const ws = r.WS.last();
    ws.hello({ resumed: true, ack: 0 });
    expect(appSent(ws).map((e) => [e.type, e.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    ws.receive({ type: '$ack', ack: 3 });
    r.client.close();
    expect(r.of('error')).toEqual([]); // all acknowledged: nothing to report as possibly lost
  });
});

describe('acknowledgements', () => {
  const acks = (ws: FakeWebSocket) => ws.envelopes().filter((e) => e.type == '$ack');

  it('everything the client sends carries the highest seq it delivered', async () => {
    const r = await open();
    const ws = r.WS.last();
    expect(ws.envelopes()[0]).toMatchObject({ type: '$ping', ack: 0 });
    serverSends(ws, 1, 3);
    ws.receive({ type: '$ping', data: 'x' });
    r.client.send('a');
    serverSends(ws, 4, 4);
    r.client.close();
    expect(ws.envelopes().slice(1)).toEqual([
      { type: '$pong', data: 'x', ack: 3 },
      { type: 'a', seq: 1, ack: 3 },
      { type: '$close', data: { code: 1000 }, ack: 4 },
    ]);
  });

  it('with nothing to send, a $ack goes out at once on the 32nd unacknowledged message', async () => {
    const r = await open();
    const ws = r.WS.last();
    serverSends(ws, 1, 31);
    expect(acks(ws)).toEqual([]);
    serverSends(ws, 32, 32);
    expect(acks(ws)).toEqual([{ type: '$ack', ack: 32 }]);
    r.client.close();
  });

  it('with nothing to send, a $ack goes out 1 s after the first unacknowledged message', async () => {
    const r = await open();
    const ws = r.WS.last();
    serverSends(ws, 1, 1);
    await tick(600);
    serverSends(ws, 2, 2);
    await tick(399);
    expect(acks(ws)).toEqual([]);
    await tick(1);
    expect(acks(ws)).toEqual([{ type: '$ack', ack: 2 }]);
    await tick(10000);
    expect(acks(ws)).toHaveLength(1);
    r.client.close();
  });

  it('no $ack when something sent meanwhile carried the ack', async () => {
    const r = await open();
    const ws = r.WS.last();
    serverSends(ws, 1, 1);
    r.client.send('reply');
    await tick(5000);
    expect(acks(ws)).toEqual([]);
    expect(appSent(ws)).toEqual([{ type: 'reply', seq: 1, ack: 1 }]);
    r.client.close();
  });
});
