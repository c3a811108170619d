// The WebSocket transport through the client, against mock-socket's server.
import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeClient, TransportError, type ClientEvents, type Envelope } from '../../src';
import { tick, withoutAck } from './helpers/client';

const BASE = 'http://example.test/realtime';
const HELLO = { type: '$hello', data: { sid: 'sid-1', heartbeat: 25000, resumed: false } };

let server: Server;
let sockets: Client[];
let urls: string[];
/** What the server received, parsed, batches flattened. */
let received: Envelope[];

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  urls = [];
  received = [];
  server = new Server('ws://example.test/realtime/ws');
  server.on('connection', (socket) => {
    sockets.push(socket);
    urls.push(socket.url);
    socket.on('message', (data) => received.push(...[JSON.parse(String(data))].flat()));
    socket.send(JSON.stringify(HELLO));
  });
});

afterEach(() => {
  server.stop();
  vi.useRealTimers();
});

function client(options = {}) {
  const c = new RealtimeClient(BASE, { WebSocket: MockWebSocket as unknown as typeof WebSocket, network: null, random: () => 0, ...options });
  const events: [string, unknown][] = [];
  for (const name of ['open', 'message', 'state', 'transport', 'reconnecting', 'close', 'error'] as (keyof ClientEvents)[])
    c.on(name, (p: unknown) => events.push([name, p]));
  return { c, events, of: (name: string) => events.filter((e) => e[0] == name).map((e) => e[1]) };
}

describe('WebSocket transport', () => {
  it('connects to {base}/ws with v=1 and the query, and opens on $hello', async () => {
    const { c, of } = client({ query: { token: 'abc' } });
    const ready = c.connect();
    await tick(10);
    await expect(ready).resolves.toBeUndefined();
    expect(urls).toEqual(['ws://example.test/realtime/ws?v=1&token=abc']);
    expect(c.state).toBe('open');
    expect(c.transport).toBe('websocket');
    expect(of('open')).toEqual([{ transport: 'websocket', failed: [], resumed: false }]);
    expect(of('transport')).toEqual(['websocket']);
    expect(of('state')).toEqual([
      { from: 'idle', to: 'connecting' },
      { from: 'connecting', to: 'open' },
    ]);
    c.close();
  });

  it('pings the server as soon as it is open, with its clock', async () => {
    const { c } = client();
    await Promise.all([c.connect(), tick(10)]);
    await tick(10);
    expect(received[0]).toEqual({ type: '$ping', data: { t: expect.any(Number) }, ack: 0 });
    c.close();
  });

  it('sends application messages as frames numbered from 1', async () => {
    const { c } = client();
    await Promise.all([c.connect(), tick(10)]);
    c.send('chat', { text: 'hi' });
    c.send('chat', 'again');
    await tick(10);
    expect(received.filter((e) => e.type == 'chat').map(withoutAck)).toEqual([
      { type: 'chat', data: { text: 'hi' }, seq: 1 },
      { type: 'chat', data: 'again', seq: 2 },
    ]);
    c.close();
  });

  it('delivers application messages, and the items of a batch frame in order', async () => {
    const { c, of } = client();
    const chats: unknown[] = [];
    c.onMessage('chat', (m) => chats.push(m.data));
    await Promise.all([c.connect(), tick(10)]);
    sockets[0]!.send(JSON.stringify({ type: 'chat', data: 'one', seq: 1 }));
    sockets[0]!.send(JSON.stringify([{ type: 'chat', data: 'two', seq: 2 }, { type: 'news', data: 'three', seq: 3 }]));
    await tick(10);
    expect((of('message') as Envelope[]).map((m) => m.data)).toEqual(['one', 'two', 'three']);
    expect(chats).toEqual(['one', 'two']);
    c.close();
  });

  it('close() says $close 1000 to the server, closes the socket, and ends in state closed', async () => {
    const { c, of } = client();
    await Promise.all([c.connect(), tick(10)]);
    let serverSawClose = false;
    sockets[0]!.on('close', () => (serverSawClose = true));
    c.close();
    await tick(10);
    expect(received.at(-1)).toEqual({ type: '$close', data: { code: 1000 }, ack: 0 });
    expect(serverSawClose).toBe(true);
    expect(c.state).toBe('closed');
    expect(of('close')).toEqual([{ code: 1000, reason: 'closed by client' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a socket closed by the server means reconnect, with the close code in the error', async () => {
    const { c, of } = client();
    await Promise.all([c.connect(), tick(10)]);
    sockets[0]!.close({ code: 1011, reason: 'oops', wasClean: true });
    await tick(10);
    expect(c.state).toBe('reconnecting');
    const [r] = of('reconnecting') as ClientEvents['reconnecting'][];
    expect(r).toMatchObject({ attempt: 1, delay: 500 });
    expect(r!.error).toBeInstanceOf(TransportError);
    expect(r!.error).toMatchObject({ transport: 'websocket', code: 1011 });
    expect(r!.error.message).toMatch(/connection lost, closed with code 1011 \(oops\)/);
    await tick(510);
    expect(c.state).toBe('open');
    expect(sockets).toHaveLength(2);
    c.close();
  });

  it('answers the server\'s $ping with a $pong carrying the same data', async () => {
    const { c } = client();
    await Promise.all([c.connect(), tick(10)]);
    sockets[0]!.send(JSON.stringify({ type: '$ping', data: { n: 7 } }));
    await tick(10);
    expect(received.map(withoutAck)).toContainEqual({ type: '$pong', data: { n: 7 } });
    c.close();
  });
});
