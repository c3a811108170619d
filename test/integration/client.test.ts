// The client (src/) against the real reference server, in Node: each
// transport on its own, then the fallbacks through the fault-injection mounts.
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { ConnectError, RealtimeClient, type ClientEvents, type ClientOptions } from '../../src/index';
import { Inbox, post, startServer } from './helpers';
import { NodeEventSource } from './node-eventsource';

type Name = keyof ClientEvents;
type Event = { [K in Name]: { event: K; payload: ClientEvents[K] } }[Name];
const EVENTS: Name[] = ['open', 'message', 'state', 'transport', 'reconnecting', 'close', 'error'];
const TRANSPORTS = ['websocket', 'sse', 'long-polling'] as const;

/** A client wired for Node, with every event recorded in an inbox; closed when the test ends. */
function makeClient(base: string, options: ClientOptions = {}) {
  const client = new RealtimeClient(base, {
    // The `ws` package as is: the client must cope with an EventEmitter-style socket too.
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    EventSource: NodeEventSource as unknown as typeof EventSource,
    network: null,
    connectTimeout: 2000,
    reconnect: { minDelay: 20, maxDelay: 150 },
    ...options,
  });
  const events = new Inbox<Event>();
  const seen: Event[] = [];
  for (const event of EVENTS)
    client.on(event, (payload: any) => {
      const e = { event, payload } as Event;
      seen.push(e);
      events.push(e);
    });
  onTestFinished(() => client.close());
  /** The next event of a kind (optionally matching), failing after `ms`. */
  const next = <K extends Name>(event: K, pred: (p: ClientEvents[K]) => boolean = () => true, ms = 4000) =>
    events.next((e) => e.event == event && pred(e.payload as ClientEvents[K]), ms).then((e) => e.payload as ClientEvents[K]);
  return { client, next, seen: (event: Name) => seen.filter((e) => e.event == event).map((e) => e.payload) };
}

const byType = (type: string) => (m: ClientEvents['message']) => m.type == type;

describe.each(TRANSPORTS)('over %s', (transport) => {
  it('connects and does an echo round trip', async () => {
    const { base } = await startServer();
    const { client, next } = makeClient(base, { transports: [transport] });
    await client.connect();
    expect(client.state).toBe('open');
    expect(client.transport).toBe(transport);
    expect(await next('open')).toEqual({ transport, failed: [], resumed: false });
    client.send('echo', { text: 'hi', n: [1, 2] });
    client.send('echo', 'second');
    expect(await next('message')).toMatchObject({ type: 'echo', data: { text: 'hi', n: [1, 2] }, seq: 1 });
    expect(await next('message')).toMatchObject({ type: 'echo', data: 'second', seq: 2 });
  });

  it('receives a chat broadcast sent by a second client', async () => {
    const { base } = await startServer();
    const a = makeClient(base, { transports: [transport] });
    const b = makeClient(base, { transports: ['websocket'] });
    await Promise.all([a.client.connect(), b.client.connect()]);
    b.client.send('chat', { text: 'hello all' });
    expect(await a.next('message', byType('chat'))).toMatchObject({ data: { text: 'hello all' } });
    expect(await b.next('message', byType('chat'))).toMatchObject({ data: { text: 'hello all' } });
  });

  it('answers the server’s heartbeats, measures rtt, and stays connected', async () => {
    const { srv, base } = await startServer({ heartbeat: 100, heartbeatTimeout: 150, pollTimeout: 100 });
    const { client, seen } = makeClient(base, { transports: [transport] });
    const ended: unknown[] = [];
    srv.on('session:end', (e) => ended.push(e));
    await client.connect();
    await expect.poll(() => client.rtt, { timeout: 2000, interval: 20 }).not.toBeNull();
    // Several heartbeat periods (and, on long polling, several empty polls) pass without a drop.
    await new Promise((r) => setTimeout(r, 600));
    expect(ended).toEqual([]);
    expect(client.state).toBe('open');
    expect(seen('reconnecting')).toEqual([]);
  });

  it('closes for good when kicked, with the server’s code and reason', async () => {
    const { srv, base } = await startServer();
    const { client, next, seen } = makeClient(base, { transports: [transport] });
    await client.connect();
    const [{ sid }] = srv.list();
    srv.kick(sid, 4003, 'kicked by test');
    expect(await next('close')).toEqual({ code: 4003, reason: 'kicked by test' });
    expect(client.state).toBe('closed');
    expect(seen('reconnecting')).toEqual([]);
    expect(srv.stats().sessions).toBe(0);
  });

  it('reconnects by itself when the server restarts on the same port', async () => {
    const { srv, base } = await startServer();
    const { client, next } = makeClient(base, { transports: [transport] });
    await client.connect();
    await next('open');
    await srv.close();
    await next('reconnecting');
    await srv.listen();
    expect(await next('open')).toEqual({ transport, failed: [], resumed: false });
    expect(client.state).toBe('open');
    client.send('echo', 'back');
    expect(await next('message', byType('echo'))).toMatchObject({ data: 'back', seq: 1 });
  });

  it('reconnects after a shutdown that says reconnect, and closes after one that does not', async () => {
    const { srv, base } = await startServer();
    const { client, next, seen } = makeClient(base, { transports: [transport] });
    await client.connect();
    await next('open');
    await srv.shutdown({ code: 1012, reason: 'restarting', reconnect: true, grace: 500 });
    expect((await next('reconnecting')).error.message).toContain('restarting');
    await srv.listen();
    expect(await next('open')).toEqual({ transport, failed: [], resumed: false });
    await srv.shutdown({ code: 1001, reason: 'going away', grace: 500 });
    expect(await next('close')).toEqual({ code: 1001, reason: 'going away' });
    expect(seen('reconnecting')).toHaveLength(1);
  });

  it('frees its server session on close()', async () => {
    const { srv, base } = await startServer();
    const { client, next } = makeClient(base, { transports: [transport] });
    await client.connect();
    expect(srv.stats().sessions).toBe(1);
    client.close();
    expect(await next('close')).toMatchObject({ code: 1000 });
    await expect.poll(() => srv.stats().sessions, { timeout: 2000, interval: 10 }).toBe(0);
  });
});

describe.each(['sse', 'long-polling'] as const)('server $error over %s', (transport) => {
  it('reaches the client as an error event, and the connection carries on', async () => {
    const { srv, base } = await startServer();
    const { client, next } = makeClient(base, { transports: [transport] });
    await client.connect();
    const [{ sid }] = srv.list();
    // A malformed envelope in this session's name: the server reports it on the session's stream.
    expect((await post(base, sid, [{ type: 42 }])).status).toBe(204);
    const error = await next('error');
    expect(error.name).toBe('ServerError');
    expect(error.message).toMatch(/type/);
    client.send('echo', 'after the error');
    expect(await next('message', byType('echo'))).toMatchObject({ data: 'after the error' });
    expect(client.state).toBe('open');
  });
});

describe('fallback through the fault-injection mounts', () => {
  const cases: [string, (typeof TRANSPORTS)[number]][] = [
    ['ws-refuse', 'sse'],
    ['ws-hang', 'sse'],
    ['ws-silent', 'sse'],
    ['ws-refuse+sse-refuse', 'long-polling'],
    ['ws-silent+sse-buffer', 'long-polling'],
  ];
  it.each(cases)('/x/%s/realtime ends on %s', async (faults, expected) => {
    const { url } = await startServer({ faults: true });
    const { client, next } = makeClient(`${url}/x/${faults}/realtime`, { connectTimeout: 300 });
    await client.connect();
    expect(client.transport).toBe(expected);
    client.send('echo', faults);
    expect(await next('message', byType('echo'))).toMatchObject({ data: faults });
  });

  it('rejects connect() with what failed on each transport when all are blocked', async () => {
    const { url } = await startServer({ faults: true });
    const { client, next } = makeClient(`${url}/x/ws-refuse+sse-refuse+poll-refuse/realtime`, { connectTimeout: 300, reconnect: false });
    const error = await client.connect().catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.errors.map((e: { transport: string }) => e.transport)).toEqual(['websocket', 'sse', 'long-polling']);
    expect(await next('close')).toBeTruthy();
  });
});
