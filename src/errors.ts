import type { TransportName } from './transports/transport';

/** Base class of every error the client reports; `name` tells the subclass in a log line. */
export class RealtimeError extends Error {
  /** The underlying error, if any. */
  cause?: unknown;
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'RealtimeError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** A transport failed to open, or a working one was lost. */
export class TransportError extends RealtimeError {
  constructor(
    /** Which transport failed. */
    public transport: TransportName,
    message: string,
    /** The HTTP status, or the WebSocket close code, when there was one. */
    public code?: number,
    cause?: unknown,
  ) {
    super(transport + ': ' + message, cause);
    this.name = 'TransportError';
  }
}

/** No transport could connect; `errors` says what failed on each, in the order tried. */
export class ConnectError extends RealtimeError {
  constructor(public errors: TransportError[]) {
    super('could not connect: ' + (errors.map((e) => e.message).join('; ') || 'no transport'));
    this.name = 'ConnectError';
  }
}

/** The server sent something that is not a valid envelope; it was dropped and the connection carries on. */
export class ProtocolError extends RealtimeError {
  constructor(
    message: string,
    /** The offending input (truncated to 200 characters). */
    public raw?: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** The server reported an error with a `$error` envelope, or refused a POST. */
export class ServerError extends RealtimeError {
  constructor(
    /** The server's error code, e.g. `too_large`, or `http_413`. */
    public code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** The ServerError for what a server sent as `{ code, message }` (a `$error`, or a failed reply), whichever parts it sent. */
export function serverError(e: { code?: unknown; message?: unknown }, fallback: string): ServerError {
  return new ServerError(String(e.code || 'error'), String(e.message || e.code || fallback));
}

/** A request got no reply in time. */
export class TimeoutError extends RealtimeError {
  constructor(
    message: string,
    /** The timeout that passed, in ms. */
    public timeout: number,
  ) {
    super(message);
    this.name = 'TimeoutError';
  }
}
