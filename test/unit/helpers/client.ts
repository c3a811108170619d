// Builds a client on fakes and records what a user of it would see.
import { vi } from 'vitest';
import { RealtimeClient, type ClientEvents, type ClientOptions } from '../../../src';
import { makeFakeWebSocket, type FakeWebSocketClass } from './fake-websocket';
import { makeFakeEventSource, type FakeEventSourceClass } from './fake-event-source';
import { makeFakeFetch, type FakeFetch } from './fake-fetch';

export const URL_BASE = 'http://example.test/realtime';

export interface Rig {
  client: RealtimeClient;
  WS: FakeWebSocketClass;
  ES: FakeEventSourceClass;
  http: FakeFetch;
  /** Every event the client emitted, in order, as [name, payload]. */
  events: [keyof ClientEvents, unknown][];
  /** The payloads of one event, in order. */
  of<K extends keyof ClientEvents>(name: K): ClientEvents[K][];
}

/** A client whose every platform piece is a fake; `network: null` unless given. Call vi.useFakeTimers() first. */
export function rig(options: ClientOptions = {}, url = URL_BASE): Rig {
  const WS = makeFakeWebSocket();
  const ES = makeFakeEventSource();
  const http = makeFakeFetch();
  const client = new RealtimeClient(url, {
    WebSocket: WS as unknown as typeof WebSocket,
    EventSource: ES as unknown as typeof EventSource,
    fetch: http.fetch,
    network: null,
    random: () => 0,
    ...options,
  });
  const events: Rig['events'] = [];
  const names: (keyof ClientEvents)[] = ['open', 'message', 'state', 'transport', 'reconnecting', 'reset', 'close', 'error'];
  for (const name of names) client.on(name, (p: unknown) => events.push([name, p]));
  return {
    client,
    WS,
    ES,
    http,
    events,
    of: <K extends keyof ClientEvents>(name: K) => events.filter((e) => e[0] == name).map((e) => e[1] as ClientEvents[K]),
  };
}

/** Lets pending promise callbacks run and fires the timers due within `ms` of fake time. */
export function tick(ms = 0): Promise<void> {
  return vi.advanceTimersByTimeAsync(ms).then(() => {});
}

/** A `connect()` promise whose outcome can be read later without an unhandled rejection. */
export function settle(p: Promise<void>): { readonly result: 'pending' | 'resolved' | Error } {
  const box: { result: 'pending' | 'resolved' | Error } = { result: 'pending' };
  p.then(
    () => (box.result = 'resolved'),
    (e: Error) => (box.result = e),
  );
  return box;
}

/** An envelope without its `ack`, for comparisons where the acknowledgement is not the point. */
export function withoutAck<T extends { ack?: unknown }>(envelope: T): Omit<T, 'ack'> {
  const { ack: _ack, ...rest } = envelope;
  return rest;
}
