// The reference server's HTTP transports on their own, spoken to with fetch:
// Server-Sent Events, POST /send, long polling, and the Origin/CORS rules.
import { describe, expect, it } from 'vitest';
import { openSse, openWs, poll, post, startServer } from './helpers';

const SID = /^[A-Za-z0-9_-]{22}$/; // 16 random bytes in base64url

describe('Server-Sent Events', () => {
  it('streams with the headers proxies need, $hello first, replies to POSTed envelopes', async () => {
    const { base } = await startServer();
    const res = await fetch(base + '/sse?v=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-cache/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    await res.body!.cancel();

    const { inbox } = await openSse(base);
    const sid = (await inbox.type('$hello')).data.sid;
    expect(sid).toMatch(SID);
    const r = await post(base, sid, [{ type: '$ping', data: { t: 1 } }, { type: 'echo', data: 'hi', seq: 1 }, { nope: 1 }]);
    expect(r.status).toBe(204);
    expect(await inbox.next()).toEqual({ type: '$pong', data: { t: 1 } });
    expect(await inbox.next()).toEqual({ type: 'echo', data: 'hi', seq: 1 });
    expect((await inbox.next()).data.code).toBe('bad_envelope');
  });

  it('keeps the session when the stream closes, for retain.time, then forgets it', async () => {
    const { srv, base } = await startServer({ retain: { time: 100 } });
    const { es, inbox } = await openSse(base);
    const sid = (await inbox.type('$hello')).data.sid;
    es.close();
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect(srv.sessionInfo(sid)?.transport).toBe(null);
    expect(srv.stats()).toEqual({ sessions: 1, byTransport: { websocket: 0, sse: 0, 'long-polling': 0 } });
    expect(srv.list()).toEqual([{ sid, transport: 'sse', connected: false, since: expect.any(Number) }]);
    await expect.poll(() => srv.stats().sessions, { timeout: 2000, interval: 10 }).toBe(0);
    expect((await post(base, sid, [])).status).toBe(404);
  });
});

describe('POST /send', () => {
  it('answers 404 for an unknown session, 413 for too much, 400 for not an array', async () => {
    const { base } = await startServer({ maxMessageBytes: 1000 });
    expect((await post(base, 'nope', [])).status).toBe(404);
    expect((await fetch(base + '/send', { method: 'POST', body: '[]' })).status).toBe(404);
    const { inbox } = await openSse(base);
    const sid = (await inbox.type('$hello')).data.sid;
    expect((await post(base, sid, [{ type: 'echo', data: 'x'.repeat(2000) }])).status).toBe(413);
    expect((await post(base, sid, { type: 'echo' })).status).toBe(400);
    expect((await post(base, sid, 'not json')).status).toBe(400);
    expect((await post(base, sid, [{ type: 'echo', data: 'ok' }])).status).toBe(204);
    expect(await inbox.type('echo')).toMatchObject({ data: 'ok' });
  });
});

describe('POST /send after its connection', () => {
  it('is still processed when the stream just ended (a $close in it frees the session), refused once the session is on a WebSocket', async () => {
    const { srv, base } = await startServer();
    const { es, inbox } = await openSse(base);
    const sid = (await inbox.type('$hello')).data.sid;
    es.close();
    await expect.poll(() => srv.sessionInfo(sid)?.connected, { timeout: 2000, interval: 10 }).toBe(false);
    expect((await post(base, sid, [{ type: 'echo', data: 'late', seq: 1 }])).status).toBe(204);
    // Its reply waits for the resume, and what it delivered is acknowledged there.
    expect(srv.sessionInfo(sid)).toMatchObject({ lastIn: 1, retained: 1 });
    expect((await post(base, sid, [{ type: '$close', data: { code: 1000 } }])).status).toBe(204);
    expect(srv.sessionInfo(sid)).toBeUndefined();

    const other = await openSse(base);
    const sid2 = (await other.inbox.type('$hello')).data.sid;
    const ws = await openWs(base, { query: `v=1&sid=${sid2}&last=0` });
    expect((await ws.inbox.type('$hello')).data.resumed).toBe(true);
    expect((await post(base, sid2, [{ type: 'echo', data: 'stale', seq: 1 }])).status).toBe(404);
    expect(srv.sessionInfo(sid2)?.lastIn).toBe(0);
  });
});

describe('long polling', () => {
  it('answers the first poll at once with $hello, holds the next, and completes it when a message is queued', async () => {
    const { base } = await startServer();
    const first = await poll(base, 'v=1&token=abc');
    expect(first.res.headers.get('cache-control')).toBe('no-store');
    const [hello] = first.body as any[];
    expect(hello).toEqual({ type: '$hello', data: { sid: expect.stringMatching(SID), heartbeat: 25000, resumed: false, ack: 0 } });
    const held = poll(base, 'sid=' + hello.data.sid + '&token=abc');
    expect((await post(base, hello.data.sid, [{ type: '$ping', data: 7 }, { type: 'echo', data: 'hi', seq: 1 }])).status).toBe(204);
    const done = await held;
    expect(done.res.headers.get('cache-control')).toBe('no-store');
    // One `$ack` per POST body, after the replies to it.
    expect(done.body).toEqual([{ type: '$pong', data: 7 }, { type: 'echo', data: 'hi', seq: 1 }, { type: '$ack', ack: 1 }]);
  });

  it('returns [] after pollTimeout, and answers an older poll with [] when a second one comes', async () => {
    const { base } = await startServer({ pollTimeout: 150 });
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    expect((await poll(base, 'sid=' + sid)).body).toEqual([]);
    const older = poll(base, 'sid=' + sid);
    await new Promise((r) => setTimeout(r, 30)); // let the first poll reach the server
    const newer = poll(base, 'sid=' + sid);
    expect((await older).body).toEqual([]);
    expect((await newer).body).toEqual([]);
  });

  it('answers 404 for an unknown session; drops a connection that stops polling, then forgets its session', async () => {
    const { srv, base } = await startServer({ pollTimeout: 50, retain: { time: 100 } });
    expect((await poll(base, 'sid=nope')).status).toBe(404);
    expect((await poll(base, 'token=x')).status).toBe(400); // neither connecting (v) nor in a session (sid)
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    expect(srv.stats().byTransport['long-polling']).toBe(1);
    await expect.poll(() => srv.stats().byTransport['long-polling'], { timeout: 2000, interval: 10 }).toBe(0);
    // The connection is gone (a poll must reconnect, with v), the session waits for a resume.
    expect((await poll(base, 'sid=' + sid)).status).toBe(404);
    expect(srv.sessionInfo(sid)).toMatchObject({ connected: false });
    await expect.poll(() => srv.stats().sessions, { timeout: 2000, interval: 10 }).toBe(0);
  });

  it('puts a resume’s whole replay in the first response, whatever maxQueue is', async () => {
    const { srv, base } = await startServer({ maxQueue: 2 });
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    for (let i = 1; i <= 4; i++) srv.send(sid, 'news', i);
    const resumed = await poll(base, `v=1&sid=${sid}&last=0`);
    expect((resumed.body as any[]).map((e) => e.seq ?? e.type)).toEqual(['$hello', 1, 2, 3, 4]);
    expect(srv.sessionInfo(sid)?.connected).toBe(true);
  });
});

describe('Origin and CORS', () => {
  it('refuses foreign origins on HTTP endpoints and answers preflights for allowed ones', async () => {
    const { base } = await startServer({ origins: ['https://app.example', /^http:\/\/localhost:\d+$/] });
    const evil = { origin: 'https://evil.example' };
    expect((await poll(base, 'v=1', evil)).status).toBe(403);
    expect((await fetch(base + '/sse?v=1', { headers: evil })).status).toBe(403);
    expect((await post(base, 'x', [], evil)).status).toBe(403);
    expect((await fetch(base + '/send?sid=x', { method: 'OPTIONS', headers: evil })).status).toBe(403);

    const pre = await fetch(base + '/send?sid=x', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(pre.headers.get('access-control-max-age')).toBe('600');

    const first = await poll(base, 'v=1', { origin: 'https://app.example' });
    expect(first.status).toBe(200);
    expect(first.res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(first.res.headers.get('access-control-allow-credentials')).toBe('true'); // cookies allowed for allowlisted origins
    const sid = (first.body as any)[0].data.sid;
    const sent = await post(base, sid, [], { origin: 'http://localhost:3000' });
    expect(sent.status).toBe(204);
    expect(sent.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });
});
