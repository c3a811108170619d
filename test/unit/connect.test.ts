// connect() and the fallback loop: which transport is tried when, and what the
// user learns when none works.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectError, RealtimeError, TransportError } from '../../src';
import { rig, settle, tick } from './helpers/client';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connect()', () => {
  it('resolves when the server says $hello, not when the socket opens', async () => {
    const r = rig();
    const ready = settle(r.client.connect());
    await tick();
    expect(r.client.state).toBe('connecting');
    r.WS.last().accept();
    await tick();
    expect(ready.result).toBe('pending');
    r.WS.last().hello();
    await tick();
    expect(ready.result).toBe('resolved');
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('returns the same promise when called twice while connecting, and makes one attempt', async () => {
    const r = rig();
    const a = r.client.connect();
    const b = r.client.connect();
    expect(b).toBe(a);
    await tick();
    expect(r.WS.instances).toHaveLength(1);
    r.WS.last().hello();
    await expect(a).resolves.toBeUndefined();
    // Open: still the same promise, already resolved, and no new attempt.
    expect(r.client.connect()).toBe(a);
    expect(r.WS.instances).toHaveLength(1);
    r.client.close();
  });

  it('rejects after close()', async () => {
    const r = rig();
    r.client.close();
    await expect(r.client.connect()).rejects.toThrow(/client is closed/);
  });

  it('rejects with a ConnectError that says what failed on each transport, in order', async () => {
    const r = rig({ reconnect: false });
    const ready = settle(r.client.connect());
    await tick();
    r.WS.last().drop(1006);
    await tick();
    r.ES.last().fail();
    await tick();
    r.http.one('/poll').respond(503);
    await tick();
    const e = ready.result as ConnectError;
    expect(e).toBeInstanceOf(ConnectError);
    expect(e.errors.map((x) => [x.transport, x.code])).toEqual([
      ['websocket', 1006],
      ['sse', undefined],
      ['long-polling', 503],
    ]);
    expect(e.errors.every((x) => x instanceof TransportError)).toBe(true);
    expect(e.message).toBe(
      'could not connect: websocket: refused or unreachable, closed with code 1006; sse: refused or unreachable; long-polling: poll refused with HTTP 503',
    );
  });

  it('tries the transports in the order of the transports option', async () => {
    const r = rig({ transports: ['long-polling', 'websocket'] });
    settle(r.client.connect());
    await tick();
    expect(r.WS.instances).toHaveLength(0);
    r.http.one('/poll').fail();
    await tick();
    expect(r.WS.instances).toHaveLength(1);
    expect(r.ES.instances).toHaveLength(0);
    r.client.close();
  });

  it('a WebSocket constructor that throws (mixed content, say) is that transport\'s failure, named as such', async () => {
    class Insecure {
      constructor() {
        throw new DOMException('An insecure WebSocket connection may not be initiated from a page loaded over HTTPS.', 'SecurityError');
      }
    }
    const r = rig({ WebSocket: Insecure as unknown as typeof WebSocket, reconnect: false });
    const ready = settle(r.client.connect());
    await tick();
    r.ES.last().hello();
    await tick();
    expect(ready.result).toBe('resolved');
    expect(r.client.transport).toBe('sse');
    r.client.close();

    const r2 = rig({ WebSocket: Insecure as unknown as typeof WebSocket, transports: ['websocket'], reconnect: false });
    const failed = settle(r2.client.connect());
    await tick();
    const [e] = (failed.result as ConnectError).errors;
    expect(e).toBeInstanceOf(TransportError);
    expect(e!.transport).toBe('websocket');
    expect(e!.message).toMatch(/^websocket: .*insecure WebSocket/);
    expect(e!.cause).toBeInstanceOf(DOMException);
  });

  it('a transport the platform lacks fails at once with a reason', async () => {
    const r = rig({ transports: ['sse'], EventSource: undefined, reconnect: false });
    const ready = settle(r.client.connect());
    await tick();
    expect((ready.result as ConnectError).errors.map((e) => e.message)).toEqual(['sse: EventSource or fetch is not available here']);
  });
});

describe('fallback', () => {
  it('a WebSocket refused before open (1006) falls to SSE at once, without waiting for the timeout', async () => {
    const r = rig();
    settle(r.client.connect());
    await tick();
    r.WS.last().drop(1006);
    await tick();
    expect(r.ES.instances).toHaveLength(1);
    r.ES.last().hello();
    await tick();
    expect(r.client.transport).toBe('sse');
    expect(r.of('transport')).toEqual(['sse']);
    // `open` tells why the client is not on WebSocket.
    const [opened] = r.of('open');
    expect(opened!.failed.map((e) => [e.transport, e.code])).toEqual([['websocket', 1006]]);
    r.client.close();
  });

  it('a WebSocket that opens but never says $hello is given up after connectTimeout, then SSE is tried', async () => {
    const r = rig();
    const ready = settle(r.client.connect());
    await tick();
    const ws = r.WS.last();
    ws.accept();
    await tick(3999);
    expect(r.ES.instances).toHaveLength(0);
    await tick(1);
    expect(ws.closeCalls).toEqual([4000]); // 4000: the client gave up on it
    expect(r.ES.instances).toHaveLength(1);
    r.ES.last().hello();
    await tick();
    expect(ready.result).toBe('resolved');
    expect(r.client.transport).toBe('sse');
    r.client.close();
  });

  it('a WebSocket that never opens times out, and the pending socket is closed', async () => {
    const r = rig({ reconnect: false, transports: ['websocket'] });
    const ready = settle(r.client.connect());
    await tick();
    const ws = r.WS.last();
    await tick(4000);
    expect(ws.closeCalls).toEqual([4000]);
    expect(ws.readyState).toBe(3);
    expect((ready.result as ConnectError).errors.map((e) => e.message)).toEqual(['websocket: no answer within 4000 ms']);
  });

  it('the error of a transport that opened but stayed silent says so', async () => {
    const r = rig({ reconnect: false, transports: ['websocket'] });
    const ready = settle(r.client.connect());
    await tick();
    r.WS.last().accept();
    await tick(4000);
    expect((ready.result as ConnectError).errors.map((e) => e.message)).toEqual(['websocket: opened, but no $hello within 4000 ms']);
  });

  it('honours a connect timeout per transport', async () => {
    const r = rig({ connectTimeout: { websocket: 1000, sse: 2000 } });
    settle(r.client.connect());
    await tick(999);
    expect(r.ES.instances).toHaveLength(0);
    await tick(1);
    expect(r.ES.instances).toHaveLength(1);
    await tick(1999);
    expect(r.http.pending('/poll')).toHaveLength(0);
    await tick(1);
    expect(r.ES.last().closed).toBe(true);
    expect(r.http.pending('/poll')).toHaveLength(1);
    await tick(3999);
    expect(r.http.pending('/poll')).toHaveLength(1);
    await tick(1);
    expect(r.http.pending('/poll')).toHaveLength(0);
    expect(r.of('reconnecting')).toHaveLength(1);
    r.client.close();
  });

  it('a server whose first message is not $hello does not speak the protocol: next transport', async () => {
    const r = rig();
    settle(r.client.connect());
    await tick();
    r.WS.last().accept();
    r.WS.last().receive({ type: 'chat', data: 'hi' });
    await tick();
    expect(r.WS.last().closeCalls).toHaveLength(1);
    expect(r.ES.instances).toHaveLength(1);
    expect(r.of('message')).toEqual([]);
    r.client.close();
  });

  it('a $hello without a session id is not a handshake', async () => {
    const r = rig({ reconnect: false, transports: ['websocket'] });
    const ready = settle(r.client.connect());
    await tick();
    r.WS.last().accept();
    r.WS.last().receive({ type: '$hello', data: { heartbeat: 25000 } });
    await tick();
    expect(ready.result).toBeInstanceOf(ConnectError);
    expect(r.client.state).toBe('closed');
  });

  it('a query function is called before each attempt, so a token can be refreshed', async () => {
    let n = 0;
    const r = rig({ transports: ['websocket'], query: () => ({ token: 't' + ++n }) });
    settle(r.client.connect());
    await tick();
    r.WS.last().drop(1006);
    await tick(500);
    expect(r.WS.instances.map((w) => new URL(w.url).searchParams.get('token'))).toEqual(['t1', 't2']);
    r.client.close();
  });

  it('a query function that fails makes the attempt fail, and reconnection goes on', async () => {
    let n = 0;
    const r = rig({
      transports: ['websocket'],
      query: () => (++n == 1 ? Promise.reject(new Error('no token')) : { token: 'ok' }),
    });
    const ready = settle(r.client.connect());
    await tick();
    expect(ready.result).toBeInstanceOf(RealtimeError);
    expect((ready.result as RealtimeError).message).toBe('query option failed');
    expect(r.WS.instances).toHaveLength(0);
    await tick(500);
    expect(r.WS.last().url).toContain('token=ok');
    r.client.close();
  });
});
