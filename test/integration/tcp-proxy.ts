// A loopback TCP proxy in front of the reference server, for the chaos tests:
// it forwards bytes both ways and, on command, does to connections what a
// network does: cuts them all at once, or a few bytes into whatever the
// server sends next (so a cut lands in the middle of a poll response, an SSE
// event or a WebSocket frame); refuses a kind of request, so that the client
// has to move to another transport; and delays what the client sends, so a
// request can still be on its way when its connection is already given up
// (it then arrives after the client has reconnected, as on a real network).
import net from 'node:net';

/** A realtime endpoint the proxy recognises in a request line. */
export type Kind = 'ws' | 'sse' | 'poll' | 'send';

export interface ProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** Connections destroyed by `cutAll()` or `cutSoon()`. */
  cut: number;
  /** Of those by `cutSoon()`, the ones cut inside a chunk the server wrote (mid-response, mid-event or mid-frame). */
  cutMidChunk: number;
  /** Connections destroyed because they carried a blocked request. */
  blocked: number;
  /** Delayed client → server chunks delivered after the client had closed its side. */
  late: number;
  /** Requests seen per kind (one TCP connection may carry many, with keep-alive). */
  requests: Record<Kind, number>;
  bytesUp: number;
  bytesDown: number;
}

export interface TcpProxy {
  port: number;
  /** `http://127.0.0.1:<port>`: use it where the server's url would go. */
  url: string;
  /**
   * Destroys every live connection, both sides, and drops what it had in flight; with `kinds`, only
   * the connections whose latest request was of one of them. Returns how many.
   */
  cutAll(kinds?: Kind[]): number;
  /**
   * Lets `bytes` more bytes flow server → client on each live connection, then
   * destroys it (one that stays silent is destroyed after `within` ms). Returns how many were armed.
   */
  cutSoon(bytes: number, within?: number): number;
  /**
   * The client's side of each live connection (with `kinds`: whose latest request was one of them) dies,
   * and the server does not hear of it: what the client sent that is still delayed arrives, and the
   * server's side stays open, silent, for `linger` ms (a half-open connection), then is destroyed.
   */
  strand(kinds?: Kind[], linger?: number): number;
  /** From now on, destroys any connection as soon as it sends a request of one of these kinds; `[]` lifts the block. */
  block(kinds: Kind[]): void;
  /**
   * Delays each client → server chunk by a random 0..`ms` ms (order kept within a connection; 0 turns it
   * off); with `kinds`, only on connections whose latest request was one of them. What a client sent
   * before closing its side still arrives, late.
   */
  lag(ms: number, random?: () => number, kinds?: Kind[]): void;
  readonly blocked: readonly Kind[];
  /** Live connections. */
  readonly live: number;
  readonly stats: ProxyStats;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** A request line at the start of a chunk or of a line in it (a request split across chunks is missed: rare on loopback). */
const REQUEST = /(?:^|\r\n)(GET|POST) \/realtime\/(ws|sse|poll|send)[?\s]/g;
/** How long a connection one side has ended may linger before it is destroyed. */
const LINGER = 1000;

interface Pair {
  client: net.Socket;
  server: net.Socket;
  /** The kind of the latest request it carried. */
  kind: Kind | null;
  /** Bytes still allowed server → client before the cut; null when no cut is armed. */
  budget: number | null;
  timer?: NodeJS.Timeout;
  /** Delayed client → server chunks not yet written, and when the last of them is due. */
  inFlight: number;
  dueAt: number;
  /** The client side is gone, but delayed chunks are still on their way to the server. */
  draining: boolean;
  /** One side ended (FIN) and the end was passed on: let the other side flush before it goes. */
  ending: boolean;
  /** The client side was destroyed by `strand()`; the server side stays open until its timer. */
  stranded?: boolean;
  dead: boolean;
}

/** Starts a proxy on 127.0.0.1 (a free port) that forwards to `targetPort` on 127.0.0.1. */
export async function createTcpProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let blocked: Kind[] = [];
  let lagMs = 0;
  let rand = Math.random;
  let lagKinds: Kind[] | undefined;
  const stats: ProxyStats = { connections: 0, cut: 0, cutMidChunk: 0, blocked: 0, late: 0, requests: { ws: 0, sse: 0, poll: 0, send: 0 }, bytesUp: 0, bytesDown: 0 };

  const kill = (p: Pair) => {
    if (p.dead) return;
    p.dead = true;
    clearTimeout(p.timer);
    pairs.delete(p);
    p.client.destroy();
    p.server.destroy();
  };
  const linger = (p: Pair) => setTimeout(() => kill(p), LINGER).unref();

  const server = net.createServer({ noDelay: true }, (client) => {
    stats.connections++;
    const upstream = net.connect({ port: targetPort, host, noDelay: true });
    const p: Pair = { client, server: upstream, kind: null, budget: null, inFlight: 0, dueAt: 0, draining: false, ending: false, dead: false };
    pairs.add(p);

    // The client side going: what it sent and is still delayed goes on to the server, then the server's side ends.
    const clientGone = (graceful: boolean) => {
      if (p.dead || p.draining) return;
      if (p.inFlight) p.draining = true;
      else if (graceful) {
        p.ending = true;
        upstream.end();
        linger(p);
      } else if (!p.ending) kill(p);
    };
    client.on('error', () => clientGone(false));
    client.on('close', () => clientGone(false));
    client.on('end', () => clientGone(true));
    // The server side going ends the client's side after what the server sent before it; a failure takes both down.
    upstream.on('error', () => kill(p));
    upstream.on('close', () => {
      if (!p.ending || client.destroyed) kill(p);
    });
    upstream.on('end', () => {
      p.ending = true;
      client.end();
      linger(p);
    });

    const up = (chunk: Buffer) => {
      stats.bytesUp += chunk.length;
      upstream.write(chunk);
    };
    client.on('data', (chunk: Buffer) => {
      if (p.dead) return;
      for (const m of chunk.toString('latin1').matchAll(REQUEST)) {
        const kind = (p.kind = m[2] as Kind);
        stats.requests[kind]++;
        if (blocked.includes(kind)) {
          stats.blocked++;
          return kill(p);
        }
      }
      const lagged = lagMs > 0 && (!lagKinds || (p.kind && lagKinds.includes(p.kind)));
      if (!lagged && !p.inFlight) return up(chunk);
      const now = Date.now();
      p.dueAt = Math.max(p.dueAt, now + (lagged ? Math.floor(rand() * (lagMs + 1)) : 0));
      p.inFlight++;
      setTimeout(() => {
        if (p.dead) return;
        if (p.draining) stats.late++;
        up(chunk);
        if (--p.inFlight || !p.draining || p.stranded) return;
        p.ending = true;
        upstream.end();
        linger(p);
      }, p.dueAt - now).unref();
    });

    upstream.on('data', (chunk: Buffer) => {
      if (p.dead || p.draining) return;
      if (p.budget === null) {
        stats.bytesDown += chunk.length;
        client.write(chunk);
        return;
      }
      const part = p.budget >= chunk.length ? chunk : chunk.subarray(0, p.budget);
      p.budget -= part.length;
      stats.bytesDown += part.length;
      if (p.budget > 0) {
        client.write(part);
        return;
      }
      // The budget is spent: the client gets exactly these bytes, then the connection ends under it.
      stats.cut++;
      if (part.length < chunk.length) stats.cutMidChunk++;
      p.dead = true;
      clearTimeout(p.timer);
      pairs.delete(p);
      upstream.destroy();
      client.end(part, () => client.destroy());
      // end() waits for the peer if it stops reading; don't let that outlive the cut.
      setTimeout(() => client.destroy(), 200).unref();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: `http://${host}:${port}`,
    cutAll(kinds) {
      const hit = [...pairs].filter((p) => !kinds || (p.kind && kinds.includes(p.kind)));
      for (const p of hit) kill(p);
      stats.cut += hit.length;
      return hit.length;
    },
    cutSoon(bytes, within = 1000) {
      const armed = [...pairs].filter((p) => p.budget === null && !p.draining);
      for (const p of armed) {
        p.budget = Math.max(0, Math.floor(bytes));
        p.timer = setTimeout(() => {
          if (p.dead) return;
          stats.cut++;
          kill(p);
        }, within);
        p.timer.unref();
        if (p.budget == 0) {
          stats.cut++;
          kill(p);
        }
      }
      return armed.length;
    },
    strand(kinds, ms = 1500) {
      const hit = [...pairs].filter((p) => !p.draining && (!kinds || (p.kind && kinds.includes(p.kind))));
      for (const p of hit) {
        p.draining = p.stranded = true;
        stats.cut++;
        p.client.destroy();
        clearTimeout(p.timer);
        p.timer = setTimeout(() => kill(p), ms);
        p.timer.unref();
      }
      return hit.length;
    },
    block(kinds) {
      blocked = [...kinds];
    },
    lag(ms, random = Math.random, kinds) {
      lagMs = Math.max(0, ms);
      rand = random;
      lagKinds = kinds && [...kinds];
    },
    get blocked() {
      return blocked;
    },
    get live() {
      return pairs.size;
    },
    stats,
    close() {
      for (const p of [...pairs]) kill(p);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
