// The long-polling transport through the client: a fake fetch holds polls and
// POSTs for as long as a test wants; one test runs against msw.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectError, TransportError } from '../../src';
import { rig, settle, tick, URL_BASE, withoutAck } from './helpers/client';

const HELLO = { type: '$hello', data: { sid: 'P1', heartbeat: 25000, resumed: false } };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A long-polling client, connected: the first poll answered with `first`. */
async function connected(first: unknown[] = [HELLO], options = {}) {
  const r = rig({ transports: ['long-polling'], query: { token: 'abc' }, ...options });
  const ready = settle(r.client.connect());
  await tick();
  r.http.one('/poll').respond(200, first);
  await tick();
  return { ...r, ready };
}

describe('long-polling transport', () => {
  it('the first poll carries v=1 and the query, and its $hello opens the connection at once', async () => {
    const r = await connected();
    expect(r.http.requests[0]!.url.href).toBe(URL_BASE + '/poll?v=1&token=abc');
    expect(r.ready.result).toBe('resolved');
    expect(r.of('open')).toEqual([{ transport: 'long-polling', failed: [], resumed: false }]);
    r.client.close();
  });

  it('later polls carry the session id instead of v=1, one at a time', async () => {
    const r = await connected();
    const poll = r.http.one('/poll');
    expect(poll.url.searchParams.get('sid')).toBe('P1');
    expect(poll.url.searchParams.get('token')).toBe('abc');
    expect(poll.url.searchParams.has('v')).toBe(false);
    poll.respond(200, []);
    await tick();
    expect(r.http.one('/poll')).not.toBe(poll);
    r.client.close();
  });

  it('delivers a batch of envelopes in order, one message event each, before polling again', async () => {
    const r = await connected();
    const order: string[] = [];
    r.client.on('message', (m) => order.push(m.data as string + (r.http.pending('/poll').length ? ' (poll pending)' : '')));
    r.http.one('/poll').respond(200, [
      { type: 'chat', data: 'a', seq: 1 },
      { type: 'chat', data: 'b', seq: 2 },
      { type: 'chat', data: 'c', seq: 3 },
    ]);
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(r.http.pending('/poll')).toHaveLength(1);
    r.client.close();
  });

  it('application messages that came with $hello in the first response are delivered too', async () => {
    const r = await connected([HELLO, { type: 'chat', data: 'welcome', seq: 1 }]);
    expect(r.of('message').map((m) => m.data)).toEqual(['welcome']);
    r.client.close();
  });

  it('POSTs one batch at a time to /send?sid=…, keeping order', async () => {
    const r = await connected();
    const ping = r.http.one('/send');
    expect(ping.url.searchParams.get('sid')).toBe('P1');
    expect(ping.json().map(withoutAck)).toEqual([{ type: '$ping', data: { t: expect.any(Number) } }]);
    r.client.send('a', 1);
    r.client.send('b', 2);
    await tick();
    expect(r.http.pending('/send')).toEqual([ping]);
    ping.respond(204);
    await tick();
    expect(r.http.one('/send').json().map(withoutAck)).toEqual([
      { type: 'a', data: 1, seq: 1 },
      { type: 'b', data: 2, seq: 2 },
    ]);
    r.client.close();
  });

  it('a poll answered 404 (session expired) means reconnect: it asks to resume, and a server that forgot gives a new session', async () => {
    const r = await connected([HELLO, { type: 'chat', data: 'welcome', seq: 1 }]);
    r.http.one('/poll').respond(404);
    await tick();
    expect(r.client.state).toBe('reconnecting');
    const [rc] = r.of('reconnecting');
    expect(rc!.error).toBeInstanceOf(TransportError);
    expect(rc!.error).toMatchObject({ transport: 'long-polling', code: 404 });
    await tick(500);
    const again = r.http.one('/poll');
    expect(again.url.searchParams.get('v')).toBe('1');
    expect(again.url.searchParams.get('sid')).toBe('P1');
    expect(again.url.searchParams.get('last')).toBe('1');
    again.respond(200, [{ type: '$hello', data: { sid: 'P2', heartbeat: 25000, resumed: false, reason: 'expired' } }]);
    await tick();
    expect(r.client.state).toBe('open');
    expect(r.of('reset')).toEqual([{ reason: 'expired', previous: 'P1', resent: 0 }]);
    expect(r.http.one('/poll').url.searchParams.get('sid')).toBe('P2');
    r.client.close();
  });

  it('a poll that fails on the network means reconnect', async () => {
    const r = await connected();
    r.http.one('/poll').fail();
    await tick();
    expect(r.client.state).toBe('reconnecting');
    expect(r.of('reconnecting')[0]!.error.message).toBe('long-polling: poll failed');
    r.client.close();
  });

  it('a first poll without $hello fails the transport', async () => {
    const r = await connected([], { reconnect: false });
    expect(r.ready.result).toBeInstanceOf(ConnectError);
    expect((r.ready.result as ConnectError).errors.map((e) => e.message)).toEqual(['long-polling: first poll carried no $hello']);
    expect(r.client.state).toBe('closed');
  });

  it('close() aborts the held poll and says $close in a keepalive POST', async () => {
    const r = await connected();
    const poll = r.http.one('/poll');
    r.client.close();
    await tick();
    expect(poll.aborted).toBe(true);
    expect(r.http.pending('/poll')).toHaveLength(0);
    const farewell = r.http.requests.at(-1)!;
    expect(farewell.keepalive).toBe(true);
    expect(farewell.json()).toEqual([{ type: '$close', data: { code: 1000 }, ack: 0 }]);
    expect(r.of('message')).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('long-polling against msw', () => {
  const server = setupServer();
  let release: () => void = () => {};
  afterEach(() => {
    release();
    server.close();
  });

  it('opens with the first poll, then receives what later polls carry', async () => {
    let polls = 0;
    const held = new Promise<void>((r) => (release = r));
    server.use(
      http.get(URL_BASE + '/poll', async ({ request }) => {
        const u = new URL(request.url);
        polls++;
        if (u.searchParams.get('v') == '1') return HttpResponse.json([HELLO]);
        if (u.searchParams.get('sid') != 'P1') return new HttpResponse(null, { status: 404 });
        if (polls == 2) return HttpResponse.json([{ type: 'chat', data: 'from msw', seq: 1 }]);
        await held;
        return HttpResponse.json([]);
      }),
      http.post(URL_BASE + '/send', () => new HttpResponse(null, { status: 204 })),
    );
    server.listen({ onUnhandledRequest: 'error' });
    const r = rig({ transports: ['long-polling'], fetch: (i, o) => fetch(i, o) });
    const got = new Promise((resolve) => r.client.onMessage('chat', (m) => resolve(m.data)));
    settle(r.client.connect());
    for (let i = 0; i < 50 && polls < 3; i++) await tick();
    await expect(got).resolves.toBe('from msw');
    expect(r.client.state).toBe('open');
    expect(polls).toBe(3);
    r.client.close();
  });
});
