// Chaos: the client (src/) and the reference server exchange 300 numbered
// messages each way, plus requests, while a TCP proxy between them cuts the
// connection dozens of times at random moments (whole, a few bytes into a
// poll response, an SSE event or a WebSocket frame, or on the client's side
// only, leaving the server's half open) and delays what the client sends. In
// the switching scenarios it also refuses transports, so the client moves
// between them; in the last one POSTs are slow enough to reach the server
// after the client has resumed elsewhere. Each side must deliver every
// message exactly once and in order (PROTOCOL.md §5).
//
// CHAOS_SEED=<n>[,<n>…] reruns with given seeds (every scenario per seed);
// CHAOS_M, CHAOS_N, CHAOS_CUTS change the sizes, for a longer soak.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ClientEvents } from '../../src/index';
import { chaosClient, range, runChaos, until, type Scenario } from './chaos-harness';
import { startServer } from './helpers';
import { createTcpProxy } from './tcp-proxy';

const SCENARIOS: Scenario[] = [
  { name: 'websocket', transports: ['websocket'] },
  { name: 'sse', transports: ['sse'] },
  { name: 'long-polling', transports: ['long-polling'] },
  { name: 'all three, switching', transports: ['websocket', 'sse', 'long-polling'], switching: true },
  { name: 'late POSTs, sse and long-polling, switching', transports: ['sse', 'long-polling'], switching: true, latePosts: true },
];
/** One fixed seed per scenario by default, so a plain run is repeatable; CHAOS_SEED runs every scenario with each seed given. */
const DEFAULT_SEEDS = [0x5eed0001, 0x5eed0002, 0x5eed0003, 0x5eed0004, 0x5eed0005];
const SEEDS = process.env.CHAOS_SEED ? process.env.CHAOS_SEED.split(',').map((s) => Number(s.trim())) : null;
const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
const M = num(process.env.CHAOS_M, 300);
const N = num(process.env.CHAOS_N, 300);
const CUTS = num(process.env.CHAOS_CUTS, 30);

const runs = SCENARIOS.flatMap((s, i) => (SEEDS || [DEFAULT_SEEDS[i]!]).map((seed) => ({ ...s, seed, title: `${s.name} (seed ${seed})` })));

describe('chaos: exactly once, in order, across cuts (reference server behind a cutting TCP proxy)', () => {
  it.each(runs)(
    '$title',
    async ({ seed, ...scenario }) => {
      const r = await runChaos(scenario, { seed, M, N, cuts: CUTS, requests: 20, budget: 12000 });
      console.log(r.summary);
      const why = (what: string) => `${what} — ${r.label} (rerun: CHAOS_SEED=${seed})\n${r.summary}`;
      const f = r.figures;

      expect(f.refusedPushes, why('server.send() found no session for the client’s sid')).toBe(0);
      expect(r.resets, why('the client reported a reset: a resume failed')).toEqual([]);
      expect(r.serverResets, why('the server reset a session')).toEqual([]);
      expect(r.sids.length, why('sessions the server delivered counts for (one, unless a reset)')).toBe(1);
      expect(r.pushes, why('server → client pushes, as the client delivered them')).toEqual(range(N));
      expect(r.counts, why('client → server counts, as the server delivered them')).toEqual(range(M));
      expect(
        r.answers.filter((a) => a.got !== a.want),
        why('requests answered wrongly, or not at all'),
      ).toEqual([]);
      // A cut mid-frame, mid-event or mid-response loses the connection, never yields a garbled envelope.
      expect(r.errors, why("the client's error events")).toEqual([]);
      // The chaos must have happened, or the above proves nothing.
      expect(f.drops, why('drops survived')).toBeGreaterThanOrEqual(CUTS);
      expect(f.settled, why('everything delivered in time')).toBe(true);
      expect(f.finalResume, why('one more drop and resume once everything was delivered')).toBe(true);
      if (scenario.switching) expect(Object.keys(f.transports).sort(), why('transports used')).toEqual([...scenario.transports].sort());
    },
    40000,
  );

  it.each(['websocket', 'sse', 'long-polling'] as const)(
    'over %s, a resume the server can no longer serve is reset and reported, never silently skipped',
    async (transport) => {
      const { srv, port } = await startServer({ heartbeat: 500, pollTimeout: 1000, retain: { messages: 20 } });
      const proxy = await createTcpProxy(port);
      onTestFinished(() => proxy.close());
      const client = chaosClient(proxy.url, [transport]);
      const pushes: number[] = [];
      const resets: ClientEvents['reset'][] = [];
      client.on('message', (m) => m.type == 'push' && pushes.push((m.data as { i: number }).i));
      client.on('reset', (r) => resets.push(r));
      await client.connect();
      const sid = client.sid!;
      for (let i = 1; i <= 10; i++) srv.send(sid, 'push', { i });
      expect(await until(() => pushes.length == 10, 5000)).toBe(true);

      // Cut off, while 50 more are pushed: more than the server keeps for a resume (20).
      proxy.block(['ws', 'sse', 'poll']);
      proxy.cutAll();
      expect(await until(() => client.state == 'reconnecting', 5000)).toBe(true);
      for (let i = 11; i <= 60; i++) srv.send(sid, 'push', { i });
      proxy.block([]);
      expect(await until(() => resets.length > 0 && client.state == 'open', 10000), 'a reset, then open').toBe(true);
      console.log(`[chaos] overflow over ${transport}: reset ${JSON.stringify(resets[0])}; delivered ${pushes.length} (1..${pushes.at(-1)})`);
      expect(resets).toEqual([{ reason: 'overflow', previous: sid, resent: 0 }]);
      expect(client.sid).not.toBe(sid);
      // What was delivered is still a gapless prefix: the 50 that could not all be replayed were not skipped over.
      expect(pushes).toEqual(range(10));
    },
    20000,
  );
});
