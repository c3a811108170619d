// Types of index.js for TypeScript callers (the integration and browser tests).
import type { EventEmitter } from 'node:events';

export interface RealtimeServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** ms between the server's `$ping`s, announced in `$hello`. Default 25000. */
  heartbeat?: number;
  /** Silence beyond `heartbeat` after which a connection is dropped (the session waits for a resume). Default 10000. */
  heartbeatTimeout?: number;
  /** ms a long poll is held when there is nothing to send. Default 25000. */
  pollTimeout?: number;
  /** Largest envelope or batch accepted, in bytes. Default 65536. */
  maxMessageBytes?: number;
  /** Envelopes waiting for a long poll beyond which the connection is dropped (the session waits for a resume). Default 1000. */
  maxQueue?: number;
  /**
   * What a session keeps for a resume (PROTOCOL.md §5.4). Unacknowledged envelopes beyond
   * `messages` (default 1000) or `bytes` (default 1 MiB) are dropped, oldest first, and a resume
   * that needed them is reset with reason `overflow`; a session without a connection for `time` ms
   * (default 120000) is forgotten, and a resume is reset with `expired` (for as long again) or `unknown_session`.
   */
  retain?: { messages?: number; bytes?: number; time?: number };
  /** Allowed Origins; requests without Origin always pass. Default: http://localhost, 127.0.0.1 and [::1] on any port. */
  origins?: '*' | (string | RegExp)[] | ((origin: string) => boolean);
  /** Mount the service under `/x/<faults>/realtime` too. Default false. */
  faults?: boolean;
  publicDir?: string;
  distDir?: string;
  log?: boolean | ((level: 'info' | 'warn' | 'error', ...args: unknown[]) => void);
}

export type ServerTransport = 'websocket' | 'sse' | 'long-polling';

export type ResetReason = 'unknown_session' | 'expired' | 'overflow';

/** An envelope as received from a client (PROTOCOL.md §2). */
export interface ServerEnvelope {
  type: string;
  data?: unknown;
  seq?: number;
  ack?: number;
  id?: string;
  [field: string]: unknown;
}

export interface SessionInfo {
  sid: string;
  /** The current connection's transport; null while the session waits for a resume. */
  transport: ServerTransport | null;
  connected: boolean;
  /** Highest client `seq` delivered. */
  lastIn: number;
  /** Highest `seq` sent to the client. */
  seqOut: number;
  /** Envelopes sent and not yet acknowledged, kept for a replay. */
  retained: number;
  /** Unacknowledged envelopes were dropped (retain bounds): a resume from before them is reset. */
  overflowed: boolean;
}

export interface RealtimeServerEvents {
  'session:open': [{ sid: string; transport: ServerTransport }];
  /** The session is forgotten: `$close` from either side, expiry, a reset, or the server closing. */
  'session:end': [{ sid: string; transport: ServerTransport; why: string }];
  'session:resume': [sid: string, transport: ServerTransport];
  /** A connecting request named `oldSid` but could not resume it; `newSid` started instead. */
  'session:reset': [oldSid: string, newSid: string, reason: ResetReason];
  /** Once per application envelope delivered to the server's logic, in order; duplicates by `seq` are not. */
  message: [sid: string, envelope: ServerEnvelope];
}

export interface RealtimeServer extends EventEmitter {
  on<K extends keyof RealtimeServerEvents>(event: K, listener: (...args: RealtimeServerEvents[K]) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  once<K extends keyof RealtimeServerEvents>(event: K, listener: (...args: RealtimeServerEvents[K]) => void): this;
  once(event: string | symbol, listener: (...args: any[]) => void): this;
  listen(port?: number): Promise<{ port: number; url: string }>;
  /** Closes without `$close` and forgets every session. */
  close(): Promise<void>;
  shutdown(options?: { code?: number; reason?: string; reconnect?: boolean; grace?: number }): Promise<void>;
  kick(sid: string, code?: number, reason?: string): boolean;
  broadcast(type: string, data?: unknown): number;
  /** Sends an application envelope to one session (kept for its resume if it has no connection); false if there is no such session. */
  send(sid: string, type: string, data?: unknown): boolean;
  sessionInfo(sid: string): SessionInfo | undefined;
  /** `sessions` counts every session held; `byTransport` the connected ones. */
  stats(): { sessions: number; byTransport: Record<ServerTransport, number> };
  /** One per session held; `transport` is that of its current connection or, while it waits for a resume, its last one. */
  list(): { sid: string; transport: ServerTransport; connected: boolean; since: number }[];
}

export function createRealtimeServer(options?: RealtimeServerOptions): RealtimeServer;
