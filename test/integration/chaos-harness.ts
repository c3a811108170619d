// The chaos scenario, shared by the chaos tests: a client and the reference
// server exchange numbered messages both ways while a TCP proxy between them
// cuts connections at random moments (and, with `switching`, refuses
// transports so that the client moves between them). Afterwards each side
// must have delivered every message exactly once, in order.
//
// The seed fixes the script (which action, how many messages, how many bytes
// before a cut, which transports are refused, and the pauses between them),
// not the timing of the machine: a failing seed makes the same kind of run,
// not necessarily the same interleaving.
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { RealtimeClient, type ClientEvents, type TransportName } from '../../src/index';
import type { RealtimeServer } from '../../demo/server/index.js';
import { startServer } from './helpers';
import { NodeEventSource } from './node-eventsource';
import { createTcpProxy, type Kind } from './tcp-proxy';

/** mulberry32: a small seeded PRNG, good enough to script a run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer in [lo, hi]. */
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const shuffle = <T>(a: T[]) => {
    const b = [...a];
    for (let i = b.length - 1; i > 0; i--) {
      const j = int(0, i);
      [b[i], b[j]] = [b[j]!, b[i]!];
    }
    return b;
  };
  return { next, int, shuffle };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` until it holds or `ms` pass; returns whether it held. */
export async function until(cond: () => boolean, ms: number, step = 20): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= end) return false;
    await sleep(step);
  }
  return true;
}

/** How a delivered sequence differs from 1..n: missing numbers, extra copies, and the first out-of-order position. */
export function tally(got: number[], n: number) {
  const seen = new Set<number>();
  let duplicated = 0;
  for (const i of got) seen.has(i) ? duplicated++ : seen.add(i);
  let lost = 0;
  for (let i = 1; i <= n; i++) if (!seen.has(i)) lost++;
  const disorder = got.findIndex((v, k) => k > 0 && v <= got[k - 1]!);
  return { lost, duplicated, disorder, exact: lost == 0 && duplicated == 0 && disorder < 0 && got.length == n };
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export interface Scenario {
  name: string;
  transports: TransportName[];
  /** Refuse transports at random (through the proxy), so the client moves between all of them, both ways. */
  switching?: boolean;
  /**
   * POSTs always delayed 100–300 ms and only the stream cut, with at least 250 ms between cuts: a POST
   * sent on a connection the client has given up reaches the server after the resume, so the server
   * must drop what the client re-sends on the new connection (or the late POST itself) as duplicates.
   */
  latePosts?: boolean;
}

export interface Plan {
  seed: number;
  /** Messages client → server. */
  M: number;
  /** Messages server → client. */
  N: number;
  /** Connection drops the client must live through, at least. */
  cuts: number;
  /** `request('sum')` calls made during the chaos. */
  requests: number;
  /** Bound on the chaos phase, ms. */
  budget: number;
}

export interface Result {
  label: string;
  /** client → server `count` numbers, as the server delivered them. */
  counts: number[];
  /** server → client `push` numbers, as the client delivered them. */
  pushes: number[];
  /** What each request resolved to, or the error it rejected with, next to what it should be. */
  answers: { want: number; got: unknown }[];
  resets: unknown[];
  serverResets: unknown[];
  errors: string[];
  /** Sessions the server delivered `count`s for. */
  sids: string[];
  figures: {
    cuts: number;
    drops: number;
    resumes: number;
    switches: number;
    transports: Partial<Record<TransportName, number>>;
    sentWhileDown: number;
    pushedWhileDown: number;
    refusedPushes: number;
    ms: number;
    /** Everything arrived in time. */
    settled: boolean;
    /** One more drop after that, and the resume that followed, went through. */
    finalResume: boolean;
  };
  summary: string;
}

/** A client wired for Node with the chaos runs' short timings; closed when the test ends. */
export function chaosClient(url: string, transports: TransportName[]): RealtimeClient {
  const client = new RealtimeClient(url + '/realtime', {
    transports,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    EventSource: NodeEventSource as unknown as typeof EventSource,
    network: null,
    connectTimeout: 1000,
    reconnect: { minDelay: 10, maxDelay: 100 },
    heartbeat: { interval: 500, timeout: 1500 },
  });
  onTestFinished(() => client.close());
  return client;
}

const PROXY_KIND: Record<TransportName, Kind> = { websocket: 'ws', sse: 'sse', 'long-polling': 'poll' };

/** Runs one scenario against a fresh server and proxy (closed when the test ends); returns what each side delivered. */
export async function runChaos(scenario: Scenario, plan: Plan): Promise<Result> {
  const { seed, M, N } = plan;
  const rng = prng(seed);
  const { srv, port } = await startServer({ heartbeat: 500, heartbeatTimeout: 1500, pollTimeout: 1000 });
  const proxy = await createTcpProxy(port);
  onTestFinished(() => proxy.close());
  // Its own stream: the proxy draws at moments the machine decides, which must not shift the script's draws.
  const lagRng = prng(seed ^ 0x1a9);

  const counts: number[] = [];
  const sids = new Set<string>();
  const serverResets: unknown[] = [];
  let resumes = 0;
  (srv as RealtimeServer).on('message', (sid, env) => {
    if (env.type != 'count') return;
    sids.add(sid);
    counts.push((env.data as { i: number }).i);
  });
  srv.on('session:resume', () => resumes++);
  srv.on('session:reset', (...args: unknown[]) => serverResets.push(args));

  const client = chaosClient(proxy.url, scenario.transports);
  const pushes: number[] = [];
  const resets: ClientEvents['reset'][] = [];
  const errors: string[] = [];
  const transports: Partial<Record<TransportName, number>> = {};
  let drops = 0;
  let switches = -1;
  client.on('message', (m) => {
    if (m.type == 'push') pushes.push((m.data as { i: number }).i);
  });
  client.on('reset', (r) => resets.push(r));
  client.on('error', (e) => errors.push(e.name + ': ' + e.message));
  client.on('open', (o) => (transports[o.transport] = (transports[o.transport] || 0) + 1));
  client.on('transport', () => switches++);
  client.on('state', (s) => {
    if (s.from == 'open' && s.to == 'reconnecting') drops++;
  });

  const started = Date.now();
  await client.connect();

  const answers: { want: number; got: unknown }[] = [];
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  let pushed = 0;
  let asked = 0;
  let cuts = 0;
  let sentWhileDown = 0;
  let pushedWhileDown = 0;
  let refusedPushes = 0;
  // With switching: force one transport at a time (refuse the other two through the proxy), or none,
  // in an order that visits each transport early on, so the client moves every way between them.
  const forced: (TransportName | null)[] = scenario.switching ? rng.shuffle([...scenario.transports, null]) : [];
  let force = 0;
  let lastCut = 0;
  if (scenario.latePosts) proxy.lag(300, lagRng.next, ['send']);

  const deadline = started + plan.budget;
  while ((sent < M || pushed < N || asked < plan.requests || drops < plan.cuts) && Date.now() < deadline) {
    await sleep(rng.int(1, 20));
    const r = rng.next();
    const down = client.state != 'open';
    // Messages are paced by the drops, so that they flow during the whole run, not only its start.
    const ahead = (done: number, total: number) => done / total > drops / plan.cuts + 0.05;
    if (r < 0.34 && sent < M) {
      if (ahead(sent, M)) continue;
      for (let k = rng.int(1, 6); k > 0 && sent < M; k--) {
        client.send('count', { i: ++sent });
        if (down) sentWhileDown++;
      }
    } else if (r < 0.68 && pushed < N) {
      if (ahead(pushed, N)) continue;
      for (let k = rng.int(1, 6); k > 0 && pushed < N; k--) {
        const i = ++pushed;
        if (down || !srv.sessionInfo(client.sid!)?.connected) pushedWhileDown++;
        // Pushed to whatever session the client has now: during a drop the server keeps it for the resume.
        if (!srv.send(client.sid!, 'push', { i })) refusedPushes++;
      }
    } else if (r < 0.74 && asked < plan.requests) {
      const a = rng.int(-1000, 1000);
      const b = rng.int(-1000, 1000);
      asked++;
      const answer = { want: a + b, got: undefined as unknown };
      answers.push(answer);
      // Generous: every request should be answered, whatever the cuts; a timeout here is a failure.
      pending.push(
        client.request<number>('sum', [a, b], { timeout: 20000 }).then(
          (v) => (answer.got = v),
          (e: Error) => (answer.got = e.name + ': ' + e.message),
        ),
      );
    } else if (r < 0.92 && scenario.latePosts) {
      if (Date.now() - lastCut < 250) continue;
      lastCut = Date.now();
      if (rng.next() < 0.7 ? proxy.cutAll(['ws', 'sse', 'poll']) : proxy.strand()) cuts++;
    } else if (r < 0.92) {
      // A cut: everything at once; or a few bytes into what the server sends next (in the middle of a
      // frame, an event, a poll response, or the handshake); or only the stream (WebSocket, event stream,
      // poll), so that a POST still on its way may reach the server after the client has resumed; or
      // only the client's side, the server's left half-open with what the client sent still arriving.
      const how = rng.next();
      const n =
        how < 0.2 ? proxy.cutAll() : how < 0.65 ? proxy.cutSoon(rng.int(1, 150), 500) : how < 0.85 ? proxy.cutAll(['ws', 'sse', 'poll']) : proxy.strand();
      if (n) cuts++;
    } else if (r < 0.96 && !scenario.latePosts) {
      // Latency on what the client sends, on and off: a little on everything, or a lot on POSTs only, so
      // that one may still be on its way when the stream is cut, and arrive after the client has resumed.
      const how = rng.next();
      if (how < 0.4) proxy.lag(rng.int(5, 40), lagRng.next);
      else if (how < 0.8) proxy.lag(rng.int(100, 300), lagRng.next, ['send']);
      else proxy.lag(0);
    } else if (scenario.switching && rng.next() < 0.5) {
      const only = forced[force++ % forced.length];
      proxy.block(only ? scenario.transports.filter((t) => t != only).map((t) => PROXY_KIND[t]) : []);
      // Move now rather than at the next cut.
      if (proxy.cutAll()) cuts++;
    }
  }

  // Quiet: no more cuts or refusals; everything must arrive, bounded.
  const chaosMs = Date.now() - started;
  proxy.block([]);
  proxy.lag(0);
  const done = () => counts.length >= M && pushes.length >= N && answers.every((a) => a.got !== undefined);
  let settled = await until(done, 15000);
  await Promise.race([Promise.all(pending), sleep(1000)]);
  const settleMs = Date.now() - started - chaosMs;
  // One more drop once all is delivered: the resume must replay and re-send nothing already delivered.
  let finalResume = false;
  if (settled && (await until(() => client.state == 'open', 5000))) {
    const before = drops;
    // A cut between two polls hits only idle pooled connections, which the client does not notice: try again.
    for (let k = 0; k < 5 && drops == before; k++) {
      proxy.cutAll();
      await until(() => drops > before, 1000);
    }
    finalResume = drops > before && (await until(() => client.state == 'open', 5000));
    await sleep(300);
  }
  const ms = Date.now() - started;
  client.close();

  const label = `${scenario.name} seed=${seed}`;
  const tin = tally(counts, M);
  const tout = tally(pushes, N);
  const used = Object.entries(transports)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const okAnswers = answers.filter((a) => a.got === a.want).length;
  const summary =
    `[chaos] ${label}: ${cuts} cuts (${proxy.stats.cutMidChunk} mid-chunk, ${proxy.stats.late} late chunks after a client gave up), ${drops} drops survived, ${resumes} resumes, ${resets.length} resets, ` +
    `${Math.max(0, switches)} transport switches (opens: ${used}); ` +
    `client→server ${counts.length}/${M} (${sentWhileDown} sent while down) lost ${tin.lost} duplicated ${tin.duplicated}; ` +
    `server→client ${pushes.length}/${N} (${pushedWhileDown} pushed while down) lost ${tout.lost} duplicated ${tout.duplicated}; ` +
    `requests ${okAnswers}/${answers.length} right; ${errors.length} client errors; ${(ms / 1000).toFixed(1)} s (chaos ${(chaosMs / 1000).toFixed(1)} s, settling ${(settleMs / 1000).toFixed(1)} s)`;
  return {
    label,
    counts,
    pushes,
    answers,
    resets,
    serverResets,
    errors,
    sids: [...sids],
    figures: { cuts, drops, resumes, switches: Math.max(0, switches), transports, sentWhileDown, pushedWhileDown, refusedPushes, ms, settled, finalResume },
    summary,
  };
}
