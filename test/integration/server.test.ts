// The reference server on its own, spoken to with raw `ws` and fetch: the
// WebSocket endpoint and what every transport shares (sessions, kick,
// shutdown, broadcast), checked on the wire against PROTOCOL.md.
// HTTP transports: server-http.test.ts; faults and lifecycle: server-lifecycle.test.ts.
import { describe, expect, it } from 'vitest';
import { openSse, openWs, poll, post, startServer } from './helpers';

const SID = /^[A-Za-z0-9_-]{22}$/; // 16 random bytes in base64url

describe('WebSocket', () => {
  it('sends $hello first, with a fresh unguessable sid each connection', async () => {
    const { base } = await startServer({ heartbeat: 1234 });
    const a = await openWs(base);
    const b = await openWs(base);
    const [ha, hb] = [await a.inbox.next(), await b.inbox.next()];
    expect(ha).toEqual({ type: '$hello', data: { sid: expect.stringMatching(SID), heartbeat: 1234, resumed: false, ack: 0 } });
    expect(hb.data.sid).toMatch(SID);
    expect(hb.data.sid).not.toBe(ha.data.sid);
  });

  it('answers a resume of a session it never had with a new session, reason unknown_session and ack 0', async () => {
    const { base } = await startServer();
    const { inbox } = await openWs(base, { query: 'v=1&sid=AAAAAAAAAAAAAAAAAAAAAA&last=3' });
    const hello = await inbox.type('$hello');
    expect(hello.data).toEqual({ sid: expect.stringMatching(SID), heartbeat: 25000, resumed: false, reason: 'unknown_session', ack: 0 });
    expect(hello.data.sid).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('answers $ping with $pong carrying the same data, and numbers application envelopes', async () => {
    const { base } = await startServer();
    const { inbox, send } = await openWs(base);
    await inbox.type('$hello');
    send({ type: '$ping', data: { t: 42, nested: [1, 'x'] } });
    expect(await inbox.next()).toEqual({ type: '$pong', data: { t: 42, nested: [1, 'x'] } });
    send([{ type: 'echo', data: 'one', seq: 1 }, { type: 'echo', seq: 2 }, { type: '$ping' }]);
    expect(await inbox.next()).toEqual({ type: 'echo', data: 'one', seq: 1 });
    expect(await inbox.next()).toEqual({ type: 'echo', seq: 2 });
    expect(await inbox.next()).toEqual({ type: '$pong' });
  });

  it('reports malformed input with $error and keeps the connection open', async () => {
    const { base } = await startServer();
    const { inbox, send, ws } = await openWs(base);
    await inbox.type('$hello');
    send('{not json');
    expect((await inbox.next()).data).toMatchObject({ code: 'bad_json', message: expect.any(String) });
    send('42');
    expect((await inbox.next()).data.code).toBe('bad_envelope');
    // In a batch only the bad item is dropped; the ones around it are processed in order.
    send([{ type: 'echo', data: 1 }, { data: 'no type' }, { type: '' }, { type: 'echo', seq: 0 }, { type: 'echo', data: 2 }]);
    expect(await inbox.next()).toMatchObject({ type: 'echo', data: 1 });
    expect((await inbox.next()).data.code).toBe('bad_envelope');
    expect((await inbox.next()).data.code).toBe('bad_envelope');
    expect((await inbox.next()).data.code).toBe('bad_envelope');
    expect(await inbox.next()).toMatchObject({ type: 'echo', data: 2 });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await inbox.next()).data.code).toBe('bad_frame');
    send({ type: 'echo', data: 'still here', extra: 'unknown fields are ignored' });
    expect(await inbox.next()).toEqual({ type: 'echo', data: 'still here', seq: 3 });
    // Unknown protocol types are ignored, not answered.
    send([{ type: '$future' }, { type: '$ack', ack: 3 }, { type: 'echo', data: 'after' }]);
    expect(await inbox.next()).toMatchObject({ type: 'echo', data: 'after' });
  });

  it('refuses an oversize message with too_large and carries on', async () => {
    const { base } = await startServer({ maxMessageBytes: 1024 });
    const { inbox, send } = await openWs(base);
    await inbox.type('$hello');
    send({ type: 'echo', data: 'x'.repeat(2000) });
    expect(await inbox.next()).toMatchObject({ type: '$error', data: { code: 'too_large' } });
    send({ type: 'echo', data: 'small' });
    expect(await inbox.next()).toMatchObject({ type: 'echo', data: 'small' });
  });

  it('refuses a foreign Origin with 403 and a missing version with 400, before upgrading', async () => {
    const { base } = await startServer();
    await expect(openWs(base, { headers: { origin: 'https://evil.example' } })).rejects.toMatchObject({ status: 403 });
    await expect(openWs(base, { query: 'token=x' })).rejects.toMatchObject({ status: 400 });
    await expect(openWs(base, { query: 'v=2' })).rejects.toMatchObject({ status: 400 });
    const ok = await openWs(base, { headers: { origin: 'http://localhost:5173' } });
    expect((await ok.inbox.next()).type).toBe('$hello');
  });

  it('pings every heartbeat and drops a connection that stays silent', async () => {
    const { base } = await startServer({ heartbeat: 100, heartbeatTimeout: 100 });
    const { inbox, closed } = await openWs(base);
    await inbox.type('$hello');
    expect(await inbox.next()).toEqual({ type: '$ping' });
    // This client never answers: after 100 + 100 ms of silence the server drops it, without $close.
    const { code } = await closed;
    expect(code).toBe(1006);
    expect(inbox.queued.filter((e) => e.type == '$close')).toEqual([]);
  });

  it('keeps a connection that answers the pings', async () => {
    const { srv, base } = await startServer({ heartbeat: 50, heartbeatTimeout: 50 });
    const { inbox, send } = await openWs(base);
    await inbox.type('$hello');
    for (let i = 0; i < 5; i++) {
      await inbox.type('$ping');
      send({ type: '$pong' });
    }
    expect(srv.stats().byTransport.websocket).toBe(1);
  });

  it('frees the session on the client’s $close', async () => {
    const { srv, base } = await startServer();
    const { inbox, send } = await openWs(base);
    await inbox.type('$hello');
    expect(srv.stats().sessions).toBe(1);
    send({ type: '$close', data: { code: 1000 } });
    await expect.poll(() => srv.stats().sessions, { timeout: 2000, interval: 10 }).toBe(0);
  });
});

describe('kick, shutdown, broadcast', () => {
  it('kick sends $close with code and reason, then closes the socket', async () => {
    const { srv, base } = await startServer();
    const { inbox, closed } = await openWs(base);
    const hello = await inbox.type('$hello');
    expect(srv.kick(hello.data.sid, 4003, 'kicked by test')).toBe(true);
    expect(await inbox.next()).toEqual({ type: '$close', data: { code: 4003, reason: 'kicked by test' } });
    expect((await closed).code).toBe(4003);
    expect(srv.kick(hello.data.sid)).toBe(false);
    expect(srv.stats().sessions).toBe(0);
  });

  it('kick reaches a long-polling client through its held poll', async () => {
    const { srv, base } = await startServer();
    const first = await poll(base, 'v=1');
    const sid = (first.body as any)[0].data.sid;
    const held = poll(base, 'sid=' + sid);
    await expect.poll(() => srv.kick(sid, 4001, 'unauthorized'), { timeout: 2000, interval: 10 }).toBe(true);
    expect((await held).body).toEqual([{ type: '$close', data: { code: 4001, reason: 'unauthorized' } }]);
    expect((await poll(base, 'sid=' + sid)).status).toBe(404);
  });

  it('a $close queued while no poll is held is delivered by the next poll; POSTs racing it are not refused', async () => {
    const { srv, base } = await startServer({ pollTimeout: 200 });
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    srv.kick(sid);
    // A client's POST sent before it read the $close gets 204, not a 404 that would make it reconnect.
    expect((await post(base, sid, [{ type: '$pong' }])).status).toBe(204);
    expect((await poll(base, 'sid=' + sid)).body).toEqual([{ type: '$close', data: { code: 4003, reason: 'kicked' } }]);
    expect((await poll(base, 'sid=' + sid)).status).toBe(404);
    await expect.poll(async () => (await post(base, sid, [])).status, { timeout: 2000, interval: 50 }).toBe(404);
  });

  it('shutdown says $close (with reconnect when asked) on every transport, then closes', async () => {
    const { srv, base } = await startServer();
    const w = await openWs(base);
    const s = await openSse(base);
    await w.inbox.type('$hello');
    await s.inbox.type('$hello');
    await srv.shutdown({ code: 1012, reason: 'restart', reconnect: true });
    const close = { type: '$close', data: { code: 1012, reason: 'restart', reconnect: true } };
    expect(await w.inbox.next()).toEqual(close);
    expect(await s.inbox.next()).toEqual(close);
    await w.closed;
    await s.errored;
  });

  it('broadcast and chat reach every session, each in its own numbering', async () => {
    const { srv, base } = await startServer();
    const a = await openWs(base);
    const b = await openSse(base);
    const sidB = (await b.inbox.type('$hello')).data.sid;
    await a.inbox.type('$hello');
    a.send({ type: 'echo', data: 'a only', seq: 1 });
    await a.inbox.type('echo');
    expect(srv.broadcast('news', { n: 1 })).toBe(2);
    expect(await a.inbox.type('news')).toEqual({ type: 'news', data: { n: 1 }, seq: 2 });
    expect(await b.inbox.type('news')).toEqual({ type: 'news', data: { n: 1 }, seq: 1 });
    expect((await post(base, sidB, [{ type: 'chat', data: { text: 'hi' }, seq: 1 }])).status).toBe(204);
    expect(await a.inbox.type('chat')).toEqual({ type: 'chat', data: { text: 'hi' }, seq: 3 });
    expect(await b.inbox.type('chat')).toEqual({ type: 'chat', data: { text: 'hi' }, seq: 2 });
  });
});
