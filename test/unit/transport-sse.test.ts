// The SSE transport through the client: a fake EventSource for the stream, and
// msw (or a fake fetch, where a POST must stay in flight) for POST /send.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerError, TransportError, type Envelope } from '../../src';
import { rig, settle, tick, URL_BASE, withoutAck } from './helpers/client';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});

interface Post {
  sid: string | null;
  token: string | null;
  body: Envelope[];
}

/** POST /send answered by msw with `status`; returns what it received. */
function sendEndpoint(status = 204): Post[] {
  const posts: Post[] = [];
  server.use(
    http.post(URL_BASE + '/send', async ({ request }) => {
      const u = new URL(request.url);
      posts.push({ sid: u.searchParams.get('sid'), token: u.searchParams.get('token'), body: (await request.json()) as Envelope[] });
      return new HttpResponse(null, { status });
    }),
  );
  return posts;
}

/** Lets msw's asynchronous handling run until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) await tick();
  expect(done()).toBe(true);
}

describe('SSE transport (msw for POST /send)', () => {
  it('opens {base}/sse?v=1 with the query, and is open on $hello', async () => {
    const r = rig({ transports: ['sse'], query: { token: 'abc' }, fetch: (i, o) => fetch(i, o) });
    sendEndpoint();
    const ready = r.client.connect();
    await tick();
    expect(r.ES.last().url).toBe(URL_BASE + '/sse?v=1&token=abc');
    r.ES.last().hello();
    await expect(ready).resolves.toBeUndefined();
    expect(r.client.transport).toBe('sse');
    expect(r.of('open')).toEqual([{ transport: 'sse', failed: [], resumed: false }]);
    r.client.close();
  });

  it('POSTs to /send with the session id and the query, as JSON arrays', async () => {
    const r = rig({ transports: ['sse'], query: { token: 'abc' }, fetch: (i, o) => fetch(i, o) });
    const posts = sendEndpoint();
    settle(r.client.connect());
    await tick();
    r.ES.last().hello({ sid: 'S1' });
    r.client.send('chat', { text: 'hi' });
    await until(() => posts.flatMap((p) => p.body).some((e) => e.type == 'chat'));
    expect(posts.every((p) => p.sid == 'S1' && p.token == 'abc')).toBe(true);
    expect(posts.flatMap((p) => p.body).map((e) => e.type)).toEqual(['$ping', 'chat']);
    expect(posts.flatMap((p) => p.body)[1]).toEqual({ type: 'chat', data: { text: 'hi' }, seq: 1, ack: 0 });
    r.client.close();
  });

  it('delivers each event, and the items of a batch event in order', async () => {
    const r = rig({ transports: ['sse'], fetch: (i, o) => fetch(i, o) });
    sendEndpoint();
    settle(r.client.connect());
    await tick();
    const es = r.ES.last();
    es.hello();
    es.emit({ type: 'chat', data: 1, seq: 1 });
    es.emit([{ type: 'chat', data: 2, seq: 2 }, { type: 'chat', data: 3, seq: 3 }]);
    expect(r.of('message').map((m) => m.data)).toEqual([1, 2, 3]);
    r.client.close();
  });

  it('a POST refused with 413 is reported as a ServerError; the connection stays open', async () => {
    const r = rig({ transports: ['sse'], fetch: (i, o) => fetch(i, o) });
    const posts = sendEndpoint(413);
    settle(r.client.connect());
    await tick();
    r.ES.last().hello();
    await until(() => r.of('error').length > 0);
    const [e] = r.of('error');
    expect(e).toBeInstanceOf(ServerError);
    expect(e).toMatchObject({ code: 'http_413' });
    expect(r.client.state).toBe('open');
    r.client.send('chat', 'still sending');
    await until(() => posts.length == 2);
    expect(posts[1]!.body.map(withoutAck)).toEqual([{ type: 'chat', data: 'still sending', seq: 1 }]);
    r.client.close();
  });

  it('a POST answered 404 (session gone) means reconnect', async () => {
    const r = rig({ transports: ['sse'], fetch: (i, o) => fetch(i, o) });
    sendEndpoint(404);
    settle(r.client.connect());
    await tick();
    const es = r.ES.last();
    es.hello();
    await until(() => r.client.state == 'reconnecting');
    expect(es.closed).toBe(true);
    const [rc] = r.of('reconnecting');
    expect(rc!.error).toBeInstanceOf(TransportError);
    expect(rc!.error).toMatchObject({ transport: 'sse', code: 404 });
    r.client.close();
  });
});

describe('SSE transport (fake fetch)', () => {
  it('sends at most one POST at a time, and what was queued meanwhile goes in the next one, in order', async () => {
    const r = rig({ transports: ['sse'] });
    settle(r.client.connect());
    await tick();
    r.ES.last().hello();
    const first = r.http.one('/send');
    expect(first.json().map(withoutAck)).toEqual([{ type: '$ping', data: { t: expect.any(Number) } }]);
    r.client.send('a', 1);
    r.client.send('b', 2);
    r.client.send('c', 3);
    await tick();
    expect(r.http.pending('/send')).toEqual([first]);
    first.respond(204);
    await tick();
    expect(r.http.one('/send').json().map(withoutAck)).toEqual([
      { type: 'a', data: 1, seq: 1 },
      { type: 'b', data: 2, seq: 2 },
      { type: 'c', data: 3, seq: 3 },
    ]);
    r.client.close();
  });

  it('a POST that never gets an answer ends the connection after the heartbeat timeout, and what it carried is sent again', async () => {
    const r = rig({ transports: ['sse'] });
    settle(r.client.connect());
    await tick();
    r.ES.last().hello({ ack: 0 });
    r.http.one('/send').respond(204); // the first $ping
    await tick();
    r.client.send('a', 1);
    await tick();
    const stuck = r.http.one('/send');
    // The stream stays healthy (the server's pings keep coming), so only the POST's own deadline can tell.
    for (let i = 0; i < 3; i++) {
      await tick(3000);
      r.ES.last().emit({ type: '$ping' });
    }
    expect(r.client.state).toBe('open');
    await tick(1000);
    expect(stuck.aborted).toBe(true);
    expect(r.client.state).toBe('reconnecting');
    expect(r.of('reconnecting')[0]!.error.message).toBe('sse: send got no answer within 10000 ms');
    await tick(500);
    r.ES.last().hello({ resumed: true, ack: 0 });
    await tick();
    r.http.one('/send').respond(204); // the new connection's $ping goes first
    await tick();
    expect(r.http.one('/send').json().map(withoutAck)).toEqual([{ type: 'a', data: 1, seq: 1 }]);
    r.client.close();
  });

  it('a lost stream means reconnect; the client closes the EventSource instead of letting it reconnect', async () => {
    const r = rig({ transports: ['sse'] });
    settle(r.client.connect());
    await tick();
    const es = r.ES.last();
    es.hello();
    es.fail();
    expect(es.closed).toBe(true);
    expect(r.client.state).toBe('reconnecting');
    expect(r.of('reconnecting')[0]!.error.message).toBe('sse: stream lost');
    await tick(500);
    expect(r.ES.instances).toHaveLength(2);
    r.client.close();
  });

  it('close() closes the stream and says $close in a keepalive POST', async () => {
    const r = rig({ transports: ['sse'] });
    settle(r.client.connect());
    await tick();
    const es = r.ES.last();
    es.hello();
    r.client.close();
    expect(es.closed).toBe(true);
    const farewell = r.http.requests.at(-1)!;
    expect(farewell.keepalive).toBe(true);
    expect(farewell.json()).toEqual([{ type: '$close', data: { code: 1000 }, ack: 0 }]);
    expect(r.http.requests.filter((q) => q.aborted)).toHaveLength(1); // the $ping POST in flight
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('withCredentials', () => {
  it('sends cookies cross-origin on the stream, the POSTs and the polls only when asked', async () => {
    for (const withCredentials of [false, true]) {
      const r = rig({ transports: ['sse', 'long-polling'], withCredentials, connectTimeout: 1000 });
      settle(r.client.connect());
      await tick();
      expect(r.ES.last().init).toEqual({ withCredentials });
      r.ES.last().hello();
      const credentials = withCredentials ? 'include' : 'same-origin';
      expect(r.http.one('/send').credentials).toBe(credentials);
      r.ES.last().fail();
      r.client.close();
      const lp = rig({ transports: ['long-polling'], withCredentials });
      settle(lp.client.connect());
      await tick();
      expect(lp.http.one('/poll').credentials).toBe(credentials);
      lp.client.close();
    }
  });
});
