// The reference server's side of "nothing lost, nothing twice" within a
// session (PROTOCOL.md §5.1, §5.2, §5.5), spoken to with raw `ws` and fetch:
// incoming envelopes put in order by `seq`, acknowledgements both ways, and
// requests with their replies. Resume and reset: server-resume.test.ts.
import { describe, expect, it } from 'vitest';
import { connectRaw, isApp, resumeQuery, startServer, type Envelope } from './helpers';

describe('incoming sequence numbers', () => {
  it('delivers each seq once, in order: duplicates are dropped silently and still acknowledged', async () => {
    const { srv, base } = await startServer();
    const seen: [string, Envelope][] = [];
    srv.on('message', (sid, env) => seen.push([sid, env]));
    const c = await connectRaw(base, 'websocket');
    await c.send([{ type: 'echo', data: 'a', seq: 1 }]);
    await c.send([{ type: 'echo', data: 'b', seq: 2 }, { type: 'echo', data: 'b again', seq: 2 }]);
    await c.send([{ type: 'echo', data: 'b resent', seq: 2 }]);
    await c.send([{ type: 'echo', data: 'a resent', seq: 1 }, { type: 'echo', data: 'c', seq: 3 }]);
    const got: Envelope[] = [];
    for (let i = 0; i < 7; i++) got.push(await c.inbox.next());
    expect(got).toEqual([
      { type: 'echo', data: 'a', seq: 1 },
      { type: '$ack', ack: 1 },
      { type: 'echo', data: 'b', seq: 2 },
      { type: '$ack', ack: 2 },
      { type: '$ack', ack: 2 }, // a frame of duplicates only is acknowledged too
      { type: 'echo', data: 'c', seq: 3 },
      { type: '$ack', ack: 3 },
    ]);
    const sid = c.hello.data.sid;
    expect(seen).toEqual([
      [sid, { type: 'echo', data: 'a', seq: 1 }],
      [sid, { type: 'echo', data: 'b', seq: 2 }],
      [sid, { type: 'echo', data: 'c', seq: 3 }],
    ]);
    expect(srv.sessionInfo(sid)?.lastIn).toBe(3);
  });

  it('a gap drops the connection (not the session) without $close; the resumed client re-sends', async () => {
    const { srv, base } = await startServer();
    const seen: unknown[] = [];
    srv.on('message', (_sid, env) => seen.push(env.data));
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    await a.send([{ type: 'chat', data: 1, seq: 1 }, { type: 'chat', data: 3, seq: 3 }, { type: 'chat', data: 4, seq: 4 }]);
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect(a.inbox.queued.filter((e) => e.type == '$close' || e.type == '$ack')).toEqual([]);
    expect(seen).toEqual([1]);

    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 1));
    expect(b.hello.data).toMatchObject({ resumed: true, ack: 1 });
    await b.send([{ type: 'chat', data: 2, seq: 2 }, { type: 'chat', data: 3, seq: 3 }, { type: 'chat', data: 4, seq: 4 }]);
    expect(await b.inbox.type('$ack')).toEqual({ type: '$ack', ack: 4 });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('a gap in a POST body drops the event stream; the POST itself is answered 204', async () => {
    const { srv, base } = await startServer();
    const c = await connectRaw(base, 'sse');
    const sid = c.hello.data.sid;
    await c.send([{ type: 'echo', data: 'ok', seq: 1 }, { type: 'echo', data: 'too far', seq: 5 }]);
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect(srv.sessionInfo(sid)?.lastIn).toBe(1);
  });

  it('envelopes without seq (clients that do not number) are delivered every time and get no $ack', async () => {
    const { srv, base } = await startServer();
    const seen: unknown[] = [];
    srv.on('message', (_sid, env) => seen.push(env.data));
    const c = await connectRaw(base, 'websocket');
    await c.send([{ type: 'echo', data: 'x' }]);
    await c.send([{ type: 'echo', data: 'x' }, { type: '$ping', data: 'end' }]);
    expect(await c.inbox.next()).toEqual({ type: 'echo', data: 'x', seq: 1 });
    expect(await c.inbox.next()).toEqual({ type: 'echo', data: 'x', seq: 2 });
    expect(await c.inbox.next()).toEqual({ type: '$pong', data: 'end' });
    expect(seen).toEqual(['x', 'x']);
    expect(srv.sessionInfo(c.hello.data.sid)?.lastIn).toBe(0);
  });
});

describe('acknowledgements', () => {
  it('one $ack per POST body, after the replies to it; none for a body of protocol envelopes only', async () => {
    const { base } = await startServer();
    const c = await connectRaw(base, 'long-polling');
    await c.send([{ type: '$ping', data: 1 }]);
    expect(await c.inbox.next()).toEqual({ type: '$pong', data: 1 });
    await c.send([{ type: 'echo', data: 'a', seq: 1 }, { type: 'echo', data: 'b', seq: 2 }, { type: '$ping', data: 2 }]);
    const got: Envelope[] = [];
    for (let i = 0; i < 4; i++) got.push(await c.inbox.next());
    expect(got).toEqual([
      { type: 'echo', data: 'a', seq: 1 },
      { type: 'echo', data: 'b', seq: 2 },
      { type: '$pong', data: 2 },
      { type: '$ack', ack: 2 },
    ]);
    expect(c.inbox.queued).toEqual([]);
  });

  it('the client’s ack, on any envelope, frees what the server kept for a replay', async () => {
    const { srv, base } = await startServer();
    const c = await connectRaw(base, 'websocket');
    const sid = c.hello.data.sid;
    for (let i = 1; i <= 4; i++) srv.send(sid, 'news', i);
    expect(srv.sessionInfo(sid)).toMatchObject({ seqOut: 4, retained: 4 });
    const retained = () => srv.sessionInfo(sid)?.retained;
    await c.send([{ type: '$ack', ack: 1 }]);
    await expect.poll(retained, { timeout: 2000, interval: 10 }).toBe(3);
    await c.send([{ type: '$ping', ack: 2 }]);
    await expect.poll(retained, { timeout: 2000, interval: 10 }).toBe(2);
    await c.send([{ type: '$pong', ack: 3 }]);
    await expect.poll(retained, { timeout: 2000, interval: 10 }).toBe(1);
    await c.send([{ type: 'chat', data: 'hi', seq: 1, ack: 4 }]);
    // The chat broadcast (seq 5) is the only one left unacknowledged.
    expect(await c.inbox.next(isApp)).toMatchObject({ type: 'news', seq: 1 });
    await expect.poll(retained, { timeout: 2000, interval: 10 }).toBe(1);
    // A stale or repeated ack changes nothing.
    await c.send([{ type: '$ack', ack: 2 }]);
    await c.send([{ type: '$ping', data: 'sync' }]);
    await c.inbox.next((e) => e.type == '$pong' && e.data == 'sync');
    expect(srv.sessionInfo(sid)).toMatchObject({ retained: 1, seqOut: 5 });
  });

  it('send() reaches a session without a connection on its resume; it is false for no such session', async () => {
    const { srv, base } = await startServer();
    expect(srv.send('nope', 'news')).toBe(false);
    expect(srv.sessionInfo('nope')).toBeUndefined();
    const a = await connectRaw(base, 'sse');
    const sid = a.hello.data.sid;
    a.drop();
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect(srv.send(sid, 'news', { n: 1 })).toBe(true);
    expect(srv.broadcast('all', null)).toBe(1);
    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 0));
    expect(await b.inbox.next()).toEqual({ type: 'news', data: { n: 1 }, seq: 1 });
    expect(await b.inbox.next()).toEqual({ type: 'all', data: null, seq: 2 });
  });
});

describe('requests and replies', () => {
  const bad = { code: 'bad_request', message: expect.any(String) };

  it('answers time and sum with data, a bad sum with bad_request, anything else with unknown_request', async () => {
    const { base } = await startServer();
    const c = await connectRaw(base, 'websocket');
    const before = Date.now();
    await c.send([
      { type: 'time', id: 't', seq: 1 },
      { type: 'sum', data: [1, 2, 3.5], id: 's1', seq: 2 },
      { type: 'sum', data: [1, 'two'], id: 's2', seq: 3 },
      { type: 'sum', data: 'nope', id: 's3', seq: 4 },
      { type: 'sum', data: [], id: 's4', seq: 5 },
      { type: 'launch', data: {}, id: 'x', seq: 6 },
      { type: 'sum', data: [1], seq: 7 }, // no id: not a request, nothing to answer
    ]);
    const got: Envelope[] = [];
    for (let i = 0; i < 6; i++) got.push(await c.inbox.next(isApp));
    expect(got).toEqual([
      { type: 'time', data: expect.any(Number), re: 't', seq: 1 },
      { type: 'sum', data: 6.5, re: 's1', seq: 2 },
      { type: 'sum', error: bad, re: 's2', seq: 3 },
      { type: 'sum', error: bad, re: 's3', seq: 4 },
      { type: 'sum', data: 0, re: 's4', seq: 5 },
      { type: 'launch', error: { code: 'unknown_request', message: expect.any(String) }, re: 'x', seq: 6 },
    ]);
    expect(got[0].data).toBeGreaterThanOrEqual(before);
    expect(got[0].data).toBeLessThanOrEqual(Date.now());
    expect(await c.inbox.type('$ack')).toEqual({ type: '$ack', ack: 7 });
    expect(c.inbox.queued.filter(isApp)).toEqual([]);
  });

  it('echo with an id is its own reply; chat with an id is broadcast, then replied with data null', async () => {
    const { base } = await startServer();
    const a = await connectRaw(base, 'sse');
    const b = await connectRaw(base, 'long-polling');
    await a.send([{ type: 'echo', data: 'hi', id: 'e', seq: 1 }, { type: 'chat', data: 'all', id: 'c', seq: 2 }]);
    expect(await a.inbox.next(isApp)).toEqual({ type: 'echo', data: 'hi', re: 'e', seq: 1 });
    expect(await a.inbox.next(isApp)).toEqual({ type: 'chat', data: 'all', seq: 2 });
    expect(await a.inbox.next(isApp)).toEqual({ type: 'chat', data: null, re: 'c', seq: 3 });
    expect(await b.inbox.next(isApp)).toEqual({ type: 'chat', data: 'all', seq: 1 });
  });

  it('a request re-sent after a resume is answered once; its reply is replayed if it was lost', async () => {
    const { srv, base } = await startServer();
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    await a.send([{ type: 'sum', data: [2, 2], id: '1', seq: 1 }]);
    await a.inbox.type('$ack');
    a.drop(); // the reply is "lost": the client saw only the ack
    const b = await connectRaw(base, 'long-polling', resumeQuery(sid, 0));
    await b.send([{ type: 'sum', data: [2, 2], id: '1', seq: 1 }]);
    expect(await b.inbox.next(isApp)).toEqual({ type: 'sum', data: 4, re: '1', seq: 1 });
    expect(await b.inbox.type('$ack')).toEqual({ type: '$ack', ack: 1 });
    expect(b.inbox.queued.filter(isApp)).toEqual([]);
    expect(srv.sessionInfo(sid)).toMatchObject({ lastIn: 1, seqOut: 1 });
  });
});
