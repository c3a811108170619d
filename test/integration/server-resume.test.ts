// The reference server's sessions outliving their connections (PROTOCOL.md
// §5.3, §5.4), spoken to with raw `ws` and fetch: resume and replay on every
// transport, the older connection closed, and each kind of reset.
// Sequence numbers, acks and requests: server-delivery.test.ts.
import { describe, expect, it } from 'vitest';
import { connectRaw, isApp, openWs, poll, resumeQuery, startServer, type RawTransport } from './helpers';

const SID = /^[A-Za-z0-9_-]{22}$/;

describe('resume', () => {
  it('over WebSocket after a drop: $hello resumed with ack, then what was sent meanwhile, in order, then live traffic', async () => {
    const { srv, base } = await startServer();
    const resumes: unknown[] = [];
    srv.on('session:resume', (...args) => resumes.push(args));
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    await a.send([{ type: 'echo', data: 'one', seq: 1 }]);
    expect(await a.inbox.next(isApp)).toEqual({ type: 'echo', data: 'one', seq: 1 });
    a.drop();
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect(srv.send(sid, 'news', 'first while away')).toBe(true);
    expect(srv.send(sid, 'news', 'second while away')).toBe(true);
    expect(srv.sessionInfo(sid)).toMatchObject({ connected: false, transport: null, lastIn: 1, seqOut: 3, retained: 3 });

    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 1));
    expect(b.hello).toEqual({ type: '$hello', data: { sid, heartbeat: 25000, resumed: true, ack: 1 } });
    expect(await b.inbox.next()).toEqual({ type: 'news', data: 'first while away', seq: 2 });
    expect(await b.inbox.next()).toEqual({ type: 'news', data: 'second while away', seq: 3 });
    await b.send([{ type: 'echo', data: 'two', seq: 2 }]);
    expect(await b.inbox.next(isApp)).toEqual({ type: 'echo', data: 'two', seq: 4 });
    expect(resumes).toEqual([[sid, 'websocket']]);
    // `last` = 1 acknowledged the first echo; the rest stays until acknowledged.
    expect(srv.sessionInfo(sid)).toMatchObject({ connected: true, transport: 'websocket', lastIn: 2, retained: 3 });
  });

  const moves: [RawTransport, RawTransport][] = [
    ['websocket', 'sse'],
    ['sse', 'long-polling'],
    ['long-polling', 'websocket'],
  ];
  it.each(moves)('from %s to %s: replay, and both directions keep their numbering', async (from, to) => {
    const { srv, base } = await startServer({ pollTimeout: 100 });
    const a = await connectRaw(base, from);
    const sid = a.hello.data.sid;
    await a.send([{ type: 'echo', data: 'before', seq: 1 }]);
    expect(await a.inbox.next(isApp)).toEqual({ type: 'echo', data: 'before', seq: 1 });
    a.drop();
    srv.send(sid, 'news', 'while away');

    const b = await connectRaw(base, to, resumeQuery(sid, 1));
    expect(b.hello.data).toEqual({ sid, heartbeat: 25000, resumed: true, ack: 1 });
    expect(await b.inbox.next(isApp)).toEqual({ type: 'news', data: 'while away', seq: 2 });
    await b.send([{ type: 'echo', data: 'after', seq: 2 }]);
    expect(await b.inbox.next(isApp)).toEqual({ type: 'echo', data: 'after', seq: 3 });
    expect(srv.sessionInfo(sid)).toMatchObject({ transport: to, connected: true, lastIn: 2 });
  });

  it('closes an older connection of the session without $close', async () => {
    const { srv, base } = await startServer();
    const a = await openWs(base);
    const sid = (await a.inbox.type('$hello')).data.sid;
    // The old socket is still open (half-open, as far as the server can tell) when the client resumes.
    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 0));
    expect(b.hello.data.resumed).toBe(true);
    expect((await a.closed).code).toBe(1006);
    expect(a.inbox.queued.filter((e) => e.type == '$close')).toEqual([]);
    expect(srv.stats()).toMatchObject({ sessions: 1, byTransport: { websocket: 1 } });
  });

  it('answers the held poll of an older long-polling connection, whose next poll is refused', async () => {
    const { base } = await startServer();
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    const held = poll(base, 'sid=' + sid);
    await new Promise((r) => setTimeout(r, 30)); // let the poll reach the server
    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 0));
    expect(b.hello.data.resumed).toBe(true);
    expect((await held).body).toEqual([]);
    expect((await poll(base, 'sid=' + sid)).status).toBe(404);
  });

  it('replays what a long-poll response carried when that response was cut on its way', async () => {
    const { srv, base } = await startServer();
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    srv.send(sid, 'news', 1);
    srv.send(sid, 'news', 2);
    // This response is "lost": the client never read it, so its `last` is still 0.
    expect((await poll(base, 'sid=' + sid)).body).toEqual([
      { type: 'news', data: 1, seq: 1 },
      { type: 'news', data: 2, seq: 2 },
    ]);
    const resumed = await poll(base, resumeQuery(sid, 0));
    expect(resumed.body).toEqual([
      { type: '$hello', data: { sid, heartbeat: 25000, resumed: true, ack: 0 } },
      { type: 'news', data: 1, seq: 1 },
      { type: 'news', data: 2, seq: 2 },
    ]);
    // A replay can be cut too: what it carried stays until acknowledged.
    expect(srv.sessionInfo(sid)?.retained).toBe(2);
    const again = await poll(base, resumeQuery(sid, 1));
    expect(again.body).toEqual([{ type: '$hello', data: { sid, heartbeat: 25000, resumed: true, ack: 0 } }, { type: 'news', data: 2, seq: 2 }]);
  });
});

describe('reset', () => {
  it('overflow: unacknowledged envelopes beyond retain.messages are dropped, and a resume that needs them resets', async () => {
    const { srv, base } = await startServer({ retain: { messages: 3 } });
    const resets: unknown[] = [];
    srv.on('session:reset', (...args) => resets.push(args));
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    await a.send([{ type: 'chat', data: 'hi', seq: 1 }]);
    await a.inbox.type('$ack');
    a.drop();
    for (let i = 0; i < 4; i++) srv.send(sid, 'news', i); // seq 2..5; seq 1 and 2 go
    expect(srv.sessionInfo(sid)).toMatchObject({ retained: 3, overflowed: true });

    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 1));
    expect(b.hello.data).toEqual({ sid: expect.stringMatching(SID), heartbeat: 25000, resumed: false, reason: 'overflow', ack: 1 });
    expect(b.hello.data.sid).not.toBe(sid);
    expect(resets).toEqual([[sid, b.hello.data.sid, 'overflow']]);
    expect(srv.sessionInfo(sid)).toBeUndefined();
    // The new session starts from nothing: no replay, numbering from 1.
    await b.send([{ type: 'echo', data: 'fresh', seq: 1 }]);
    expect(await b.inbox.next()).toEqual({ type: 'echo', data: 'fresh', seq: 1 });
  });

  it('overflow by bytes too; a resume from after the dropped envelopes still resumes', async () => {
    const { srv, base } = await startServer({ retain: { bytes: 200 } });
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    for (let i = 1; i <= 3; i++) srv.send(sid, 'big', 'x'.repeat(80)); // ~110 bytes each: only the last fits
    expect(srv.sessionInfo(sid)).toMatchObject({ retained: 1, overflowed: true });
    // The live connection got all three; its client acknowledges them, so nothing it lacks was dropped.
    for (let i = 1; i <= 3; i++) expect((await a.inbox.next(isApp)).seq).toBe(i);
    await a.send([{ type: '$ack', ack: 3 }]);
    await expect.poll(() => srv.sessionInfo(sid), { timeout: 2000, interval: 10 }).toMatchObject({ retained: 0, overflowed: false });
    a.drop();
    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 3));
    expect(b.hello.data).toEqual({ sid, heartbeat: 25000, resumed: true, ack: 0 });
  });

  it('expired: a session without a connection for retain.time is forgotten; a late resume is told so, with its ack', async () => {
    const { srv, base } = await startServer({ retain: { time: 100 } });
    const ended: any[] = [];
    srv.on('session:end', (e) => ended.push(e));
    const a = await connectRaw(base, 'sse');
    const sid = a.hello.data.sid;
    await a.send([{ type: 'chat', data: 1, seq: 1 }, { type: 'chat', data: 2, seq: 2 }]);
    await a.inbox.type('$ack');
    a.drop();
    await expect.poll(() => srv.sessionInfo(sid), { timeout: 2000, interval: 10 }).toBeUndefined();
    expect(ended).toEqual([{ sid, transport: 'sse', why: expect.stringContaining('expired') }]);

    const b = await connectRaw(base, 'long-polling', resumeQuery(sid, 0));
    expect(b.hello.data).toEqual({ sid: expect.stringMatching(SID), heartbeat: 25000, resumed: false, reason: 'expired', ack: 2 });
    // Once told, the server forgets the old session entirely.
    const c = await connectRaw(base, 'websocket', resumeQuery(sid, 0));
    expect(c.hello.data).toMatchObject({ resumed: false, reason: 'unknown_session', ack: 0 });
  });

  it('unknown_session once even the memory of an expired session is gone (another retain.time)', async () => {
    const { srv, base } = await startServer({ retain: { time: 50 } });
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    a.drop();
    await expect.poll(() => srv.sessionInfo(sid), { timeout: 2000, interval: 10 }).toBeUndefined();
    await new Promise((r) => setTimeout(r, 120));
    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 0));
    expect(b.hello.data).toMatchObject({ resumed: false, reason: 'unknown_session', ack: 0 });
  });

  it('a session ended by $close (the client’s or a kick) is forgotten at once', async () => {
    const { srv, base } = await startServer();
    const a = await connectRaw(base, 'websocket');
    await a.send([{ type: 'echo', seq: 1 }, { type: '$close', data: { code: 1000 } }]);
    await expect.poll(() => srv.sessionInfo(a.hello.data.sid), { timeout: 2000, interval: 10 }).toBeUndefined();
    const b = await connectRaw(base, 'websocket', resumeQuery(a.hello.data.sid, 0));
    expect(b.hello.data).toMatchObject({ resumed: false, reason: 'unknown_session', ack: 0 });

    const sid = b.hello.data.sid;
    b.drop();
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect(srv.kick(sid)).toBe(true);
    expect(srv.sessionInfo(sid)).toBeUndefined();
    const c = await connectRaw(base, 'sse', resumeQuery(sid, 0));
    expect(c.hello.data).toMatchObject({ resumed: false, reason: 'unknown_session', ack: 0 });
  });

  it('a `last` the session cannot have (beyond what it sent, or not a number) starts afresh', async () => {
    const { base } = await startServer();
    const a = await connectRaw(base, 'websocket');
    const sid = a.hello.data.sid;
    const b = await connectRaw(base, 'websocket', resumeQuery(sid, 5));
    expect(b.hello.data).toMatchObject({ resumed: false, reason: 'unknown_session', ack: 0 });
    const c = await connectRaw(base, 'websocket', `v=1&sid=${b.hello.data.sid}&last=x`);
    expect(c.hello.data).toMatchObject({ resumed: false, reason: 'unknown_session', ack: 0 });
  });
});
