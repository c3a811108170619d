// Types of index.js for TypeScript callers (the integration and browser tests).
import type { EventEmitter } from 'node:events';

export interface RealtimeServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** ms between the server's `$ping`s, announced in `$hello`. Default 25000. */
  heartbeat?: number;
  /** Silence beyond `heartbeat` after which a connection is dropped. Default 10000. */
  heartbeatTimeout?: number;
  /** ms a long poll is held when there is nothing to send. Default 25000. */
  pollTimeout?: number;
  /** Largest envelope or batch accepted, in bytes. Default 65536. */
  maxMessageBytes?: number;
  /** Envelopes waiting for a long poll beyond which the session is dropped. Default 1000. */
  maxQueue?: number;
  /** Allowed Origins; requests without Origin always pass. Default: http://localhost, 127.0.0.1 and [::1] on any port. */
  origins?: '*' | (string | RegExp)[] | ((origin: string) => boolean);
  /** Mount the service under `/x/<faults>/realtime` too. Default false. */
  faults?: boolean;
  publicDir?: string;
  distDir?: string;
  log?: boolean | ((level: 'info' | 'warn' | 'error', ...args: unknown[]) => void);
}

export type ServerTransport = 'websocket' | 'sse' | 'long-polling';

export interface RealtimeServer extends EventEmitter {
  listen(port?: number): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  shutdown(options?: { code?: number; reason?: string; reconnect?: boolean; grace?: number }): Promise<void>;
  kick(sid: string, code?: number, reason?: string): boolean;
  broadcast(type: string, data?: unknown): number;
  stats(): { sessions: number; byTransport: Record<ServerTransport, number> };
  list(): { sid: string; transport: ServerTransport; since: number }[];
}

export function createRealtimeServer(options?: RealtimeServerOptions): RealtimeServer;
