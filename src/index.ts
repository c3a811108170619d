export { RealtimeClient } from './client';
export type { ClientEvents, State } from './events';
export type { ClientOptions, ReconnectOptions, ReconnectPolicy, Query } from './options';
export type { Envelope, Hello } from './protocol';
export type { TransportName } from './transports/transport';
export type { Timers } from './platform';
export type { Listener } from './emitter';
export { RealtimeError, TransportError, ConnectError, ProtocolError, ServerError, TimeoutError } from './errors';
export type { Reset } from './session';
