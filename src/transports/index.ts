import { LongPollingTransport } from './long-polling';
import { SseTransport } from './sse';
import type { Transport, TransportContext, TransportName } from './transport';
import { WebSocketTransport } from './websocket';

/** Every transport, by name. */
export const TRANSPORTS: Record<TransportName, new (c: TransportContext) => Transport> = {
  websocket: WebSocketTransport,
  sse: SseTransport,
  'long-polling': LongPollingTransport,
};
