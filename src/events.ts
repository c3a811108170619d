import type { RealtimeError, TransportError } from './errors';
import type { Envelope } from './protocol';
import type { Reset } from './session';
import type { TransportName } from './transports/transport';

export type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The events of {@link RealtimeClient} and their payloads. */
export interface ClientEvents {
  /**
   * A transport completed the handshake. `failed` says why the transports tried before it did not
   * (empty if none was); `resumed` is true when the session carried on from the previous connection.
   */
  open: { transport: TransportName; failed: TransportError[]; resumed: boolean };
  /** An application message from the server: each one once, in order, across reconnects. */
  message: Envelope;
  state: { from: State; to: State };
  /** The transport in use changed. */
  transport: TransportName;
  /** The connection was lost or could not be made; the next attempt starts after `delay` ms (`Infinity`: when the browser is back online). */
  reconnecting: { attempt: number; delay: number; error: RealtimeError };
  /** The session could not be resumed (the server forgot it, or could not keep all it missed): messages may have been lost, resynchronize. */
  reset: Reset;
  /** The client is closed for good: by `close()`, by the server's `$close`, or because reconnection gave up. */
  close: { code?: number; reason?: string };
  error: RealtimeError;
}
