import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeClient, RealtimeError, TimeoutError, type ClientOptions } from '../../src';
import { resolveOptions } from '../../src/options';
import { rig, settle, tick } from './helpers/client';

const make = (o: unknown, url: unknown = 'http://example.test/rt') => () => new RealtimeClient(url as string, o as ClientOptions);

describe('invalid options throw a TypeError naming the option', () => {
  it.each([
    ['url', 'ftp://example.test/rt'],
    ['url', 'http://[not a host'],
    ['url', 42],
    ['url', null],
  ])('%s: %s', (name, url) => {
    expect(make({}, url)).toThrow(TypeError);
    expect(make({}, url)).toThrow(new RegExp('^RealtimeClient: ' + name + ' must be'));
  });

  it.each<[string, unknown]>([
    ['options', null],
    ['options', 'websocket'],
    ['transports', []],
    ['transports', ['ws']],
    ['transports', ['sse', 'sse']],
    ['transports', 'websocket'],
    ['connectTimeout', 0],
    ['connectTimeout', -1],
    ['connectTimeout', NaN],
    ['connectTimeout', '5000'],
    ['connectTimeout.sse', { sse: -1 }],
    ['connectTimeout.websocket', { websocket: 'soon' }],
    ['connectTimeout', { ws: 1000 }],
    ['reconnect', 'yes'],
    ['reconnect', true],
    ['reconnect.minDelay', { minDelay: -1 }],
    ['reconnect.maxDelay', { maxDelay: 0 }],
    ['reconnect.maxDelay', { minDelay: 1000, maxDelay: 500 }],
    ['reconnect.factor', { factor: 0.5 }],
    ['reconnect.factor', { factor: NaN }],
    ['reconnect.jitter', { jitter: 1.5 }],
    ['reconnect.jitter', { jitter: -0.1 }],
    ['reconnect.factor', { factor: '2' }],
    ['reconnect.jitter', { jitter: null }],
    ['reconnect.maxAttempts', { maxAttempts: -1 }],
    ['reconnect.maxAttempts', { maxAttempts: null }],
    ['reconnect.maxAttempts', { maxAttempts: '3' }],
    ['heartbeat', true],
    ['heartbeat', 5000],
    ['heartbeat.interval', { interval: 0 }],
    ['heartbeat.timeout', { timeout: -5 }],
    ['query', 'token=abc'],
    ['query', 5],
    ['outboxLimit', -1],
    ['outboxLimit', 0],
    ['outboxLimit', 0.5],
    ['outboxLimit', NaN],
    ['outboxLimit', null],
    ['outboxLimit', '10'],
    ['requestTimeout', 0],
    ['requestTimeout', -1],
    ['requestTimeout', NaN],
    ['requestTimeout', null],
    ['requestTimeout', '5000'],
    ['withCredentials', 'yes'],
    ['withCredentials', 1],
    ['network', {}],
    ['network', 'window'],
    ['WebSocket', 'ws'],
    ['EventSource', 1],
    ['fetch', {}],
    ['timers.setTimeout', { setTimeout: 1 }],
    ['timers.now', { now: 'now' }],
    ['random', 0.5],
  ])('%s: %j', (name, value) => {
    const key = name.split('.')[0]!;
    const o = key == 'options' ? value : { [key]: value };
    expect(make(o)).toThrow(TypeError);
    expect(make(o)).toThrow('RealtimeClient: ' + name + ' must be');
  });
});

describe('valid options', () => {
  it('accept what the documentation describes', () => {
    expect(
      make({
        transports: ['long-polling', 'websocket'],
        connectTimeout: { websocket: 1000 },
        reconnect: { minDelay: 0, maxDelay: 10, factor: 1, jitter: 1, maxAttempts: 0 },
        heartbeat: { interval: 1000, timeout: 500 },
        query: () => Promise.resolve({ token: 't' }),
        outboxLimit: 1,
        requestTimeout: 250,
        network: new EventTarget(),
        random: () => 0.5,
        timers: { now: () => 0 },
      }),
    ).not.toThrow();
    expect(make({ reconnect: false, heartbeat: false, network: null })).not.toThrow();
    expect(make({ reconnect: () => 100 })).not.toThrow();
  });
});

describe('defaults', () => {
  it('tries every transport, WebSocket first, 4 s each', () => {
    const o = resolveOptions('http://example.test/rt');
    expect(o._transports).toEqual(['websocket', 'sse', 'long-polling']);
    expect(o._transports.map(o._timeout)).toEqual([4000, 4000, 4000]);
  });

  it('one connectTimeout number applies to every transport; an object overrides some', () => {
    expect(resolveOptions('http://x/rt', { connectTimeout: 100 })._timeout('sse')).toBe(100);
    const o = resolveOptions('http://x/rt', { connectTimeout: { sse: 200 } });
    expect([o._timeout('websocket'), o._timeout('sse'), o._timeout('long-polling')]).toEqual([4000, 200, 4000]);
  });

  it('reconnects forever from 500 ms, doubling, up to 30 s', () => {
    const o = resolveOptions('http://x/rt', { random: () => 0 });
    const err = new Error('x') as never;
    expect([1, 2, 3, 7, 50, 10000].map((attempt) => o._retry({ attempt, error: err }))).toEqual([500, 1000, 2000, 30000, 30000, 30000]);
  });

  it('jitter defaults to half the delay', () => {
    const o = resolveOptions('http://x/rt', { random: () => 0.9999 });
    expect(o._retry({ attempt: 1, error: new Error('x') as never })).toBe(250);
  });

  it('reconnect: false never retries', () => {
    expect(resolveOptions('http://x/rt', { reconnect: false })._retry({ attempt: 1, error: new Error('x') as never })).toBeNull();
  });

  it('heartbeat: server interval, 10 s timeout; outbox of 1000; requests wait 10 s; network events from the window', () => {
    const o = resolveOptions('http://x/rt');
    expect(o._heartbeat).toEqual({ _interval: 0, _timeout: 10000 });
    expect(o._outboxLimit).toBe(1000);
    expect(o._requestTimeout).toBe(10000);
    expect(o._network).toBe(globalThis);
  });

  it('merges the URL query with the query option, the option winning', async () => {
    const o = resolveOptions('http://x/rt?token=old&room=1', { query: () => ({ token: 'new' }) });
    await expect(o._query()).resolves.toEqual({ token: 'new', room: '1' });
  });
});

describe('outboxLimit and requestTimeout at work', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('outboxLimit: 1 takes one message and refuses the next until the server acknowledges it', async () => {
    const r = rig({ transports: ['websocket'], outboxLimit: 1 });
    settle(r.client.connect());
    await tick();
    r.WS.last().hello({ ack: 0 });
    r.client.send('a');
    expect(() => r.client.send('b')).toThrow(RealtimeError);
    expect(() => r.client.request('c')).toThrow(/outbox full/);
    r.WS.last().receive({ type: '$ack', ack: 1 });
    expect(() => r.client.send('b')).not.toThrow();
    r.client.close();
  });

  it('requestTimeout is how long a request waits by default; its own timeout wins', async () => {
    const r = rig({ transports: ['websocket'], requestTimeout: 300 });
    settle(r.client.connect());
    await tick();
    r.WS.last().hello({ ack: 0 });
    const failed: unknown[] = [];
    r.client.request('time').catch((e: unknown) => failed.push(e));
    r.client.request('time', null, { timeout: 1000 }).catch((e: unknown) => failed.push(e));
    await tick(299);
    expect(failed).toEqual([]);
    await tick(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeInstanceOf(TimeoutError);
    expect(failed[0]).toMatchObject({ timeout: 300 });
    await tick(700);
    expect(failed[1]).toMatchObject({ name: 'TimeoutError', timeout: 1000 });
    r.client.close();
  });
});

describe('URLs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The URL of the first WebSocket a client on `url` opens. */
  async function wsUrl(url: string): Promise<string> {
    const r = rig({}, url);
    void r.client.connect().catch(() => {});
    await tick();
    const u = r.WS.last().url;
    r.client.close();
    return u;
  }

  it('derives ws: from http: and wss: from https:, and trims a trailing slash', async () => {
    expect(await wsUrl('http://example.test/rt/')).toBe('ws://example.test/rt/ws?v=1');
    expect(await wsUrl('https://example.test:8443/rt')).toBe('wss://example.test:8443/rt/ws?v=1');
  });

  it('accepts a ws:// or wss:// URL', async () => {
    expect(await wsUrl('ws://example.test/rt')).toBe('ws://example.test/rt/ws?v=1');
    expect(await wsUrl('wss://example.test/rt')).toBe('wss://example.test/rt/ws?v=1');
    expect(resolveOptions('wss://example.test/rt')._base).toBe('https://example.test/rt');
  });

  it('resolves a relative URL against the page', async () => {
    expect(location.href).toBe('http://localhost:3000/');
    expect(await wsUrl('/realtime')).toBe('ws://localhost:3000/realtime/ws?v=1');
    expect(resolveOptions('realtime')._base).toBe('http://localhost:3000/realtime');
  });

  it('keeps the query parameters of the URL on every request', async () => {
    expect(await wsUrl('http://example.test/rt?token=abc')).toBe('ws://example.test/rt/ws?v=1&token=abc');
  });
});
