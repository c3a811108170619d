// Chaos in real Chromium: the page's client (the UMD bundle, with the
// browser's own WebSocket, EventSource and fetch) and the reference server
// exchange 300 numbered messages each way while Playwright, standing between
// them, cuts the connection dozens of times mid-stream, takes the browser
// offline, and refuses transports so that the client moves from WebSocket to
// SSE to long polling and back. Both sides must deliver every message exactly
// once, in order (PROTOCOL.md §5).
//
// CHAOS_SEED=<n> changes the script (which moments, how many frames before a cut).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeServer, type RealtimeServer } from '../../demo/server/index.js';
import { prng, range, sleep, tally } from '../integration/chaos-harness';
import { openBench, runs, sidOf, state, transportOf, waitFor, type Bench } from './chaos-bench';
import { launch, skipBrowser } from './helpers';

const SEED = Number(process.env.CHAOS_SEED?.split(',')[0] || 0x5eedb001);
const M = 300;
const N = 300;

describe.skipIf(skipBrowser)('chaos in Chromium: exactly once, in order, across cuts, offline spells and transport switches', () => {
  let browser: Browser;
  let srv: RealtimeServer;
  let url: string;
  const counts = new Map<string, number[]>();
  const resumes: [string, string][] = [];
  const resets: unknown[][] = [];
  const benches: Bench[] = [];

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../../dist/realtime.umd.min.js', import.meta.url))))
      throw new Error('dist/realtime.umd.min.js is missing: `npm test` builds it first (or run `npm run build`)');
    srv = createRealtimeServer({ port: 0, host: '127.0.0.1', heartbeat: 1000, heartbeatTimeout: 3000, pollTimeout: 1000 });
    [browser, { url }] = await Promise.all([launch(), srv.listen()]);
    srv.on('message', (sid, env) => {
      if (env.type != 'count') return;
      if (!counts.has(sid)) counts.set(sid, []);
      counts.get(sid)!.push((env.data as { i: number }).i);
    });
    srv.on('session:resume', (sid, transport) => resumes.push([sid, transport]));
    srv.on('session:reset', (...args: unknown[]) => resets.push(args));
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });
  afterEach(async () => {
    for (const b of benches.splice(0)) await b.context.close();
  });
  const open = async (transports?: string) => {
    const b = await openBench(browser, url, transports);
    benches.push(b);
    return b;
  };

  /** Pushes `push` {i} for i = from..to to the session, a few at a time, with pauses; returns the next i. */
  async function pushSome(sid: string, from: number, n: number, rng: ReturnType<typeof prng>): Promise<number> {
    let i = from;
    for (const end = Math.min(N, from + n - 1); i <= end; i++) {
      expect(srv.send(sid, 'push', { i }), 'server.send() found the session').toBe(true);
      if (rng.next() < 0.3) await sleep(rng.int(1, 15));
    }
    return i;
  }

  /** Waits for everything to arrive, then makes one more resume, and checks both directions; returns the summary figures. */
  async function finish(b: Bench, sid: string, label: string) {
    const got = () => b.page.evaluate(() => window.chaos.pushes.length as number);
    const settled = await waitFor(async () => (await got()) >= N && (counts.get(sid)?.length ?? 0) >= M, 20000);
    await waitFor(() => b.page.evaluate(() => window.chaos.answers.every((a: any) => a.got !== undefined)), 10000);
    // One more drop once all is delivered (on WebSocket, where all these runs end): the resume must
    // replay and re-send nothing already delivered.
    const drops = () => b.page.evaluate(() => window.chaos.reconnecting.length as number);
    let finalResume = false;
    if (settled && (await waitFor(async () => (await state(b)) == 'open' && b.pipes.size > 0, 10000))) {
      const before = await drops();
      for (const p of [...b.pipes]) p.cut();
      finalResume = (await waitFor(async () => (await drops()) > before, 5000)) && (await waitFor(async () => (await state(b)) == 'open', 10000));
      await sleep(300);
    }
    const page = await b.page.evaluate(() => {
      const c = window.chaos;
      return { pushes: c.pushes, resets: c.resets, errors: c.errors, opens: c.opens, reconnecting: c.reconnecting, fellBack: c.fellBack, sid: c.client.sid, sentWhileDown: c.sentWhileDown, answers: c.answers };
    });
    const inbound = counts.get(sid) ?? [];
    const tin = tally(inbound, M);
    const tout = tally(page.pushes, N);
    const mine = resumes.filter(([s]) => s == sid);
    const summary =
      `[chaos] browser ${label} seed=${SEED}: ${b.cuts} cuts (${b.midStream} right after a server frame), ${page.reconnecting.length} reconnections ` +
      `(${page.reconnecting.filter((r: any) => r.delay == Infinity).length} waited for the network), ${mine.length} resumes ` +
      `(${[...new Set(mine.map(([, t]) => t))].join(', ')}), ${page.resets.length} resets; opens: ${runs(page.opens)}` +
      `; client→server ${inbound.length}/${M} (${page.sentWhileDown} sent while down) lost ${tin.lost} duplicated ${tin.duplicated}` +
      `; server→client ${page.pushes.length}/${N} lost ${tout.lost} duplicated ${tout.duplicated}` +
      `; requests ${page.answers.filter((a: any) => a.got === a.want).length}/${page.answers.length} right; ${page.errors.length} client errors`;
    console.log(summary);
    if (process.env.CHAOS_DEBUG) console.log(JSON.stringify({ fellBack: page.fellBack, reconnecting: page.reconnecting }, null, 1));
    const why = (what: string) => `${what} — browser ${label} seed=${SEED} (rerun: CHAOS_SEED=${SEED})\n${summary}`;
    expect(settled, why('everything delivered in time')).toBe(true);
    expect(finalResume, why('one more drop and resume once everything was delivered')).toBe(true);
    expect(page.resets, why('the client reported a reset')).toEqual([]);
    expect(resets, why('the server reset a session')).toEqual([]);
    expect(page.sid, why('the session id')).toBe(sid);
    expect(page.pushes, why('server → client pushes, as the page delivered them')).toEqual(range(N));
    expect(inbound, why('client → server counts, as the server delivered them')).toEqual(range(M));
    expect(page.answers.filter((a: any) => a.got !== a.want), why('requests answered wrongly, or not at all')).toEqual([]);
    expect(page.errors, why("the client's error events")).toEqual([]);
    expect(b.pageErrors, why('uncaught errors in the page')).toEqual([]);
    return { page, mine };
  }

  it('WebSocket cut mid-stream 30+ times, with offline spells: exactly once, in order, both ways', async () => {
    const rng = prng(SEED);
    // WebSocket only: a cut that lands in a handshake would otherwise (rightly) send the client to SSE, where it stays.
    const b = await open('websocket');
    const sid = await sidOf(b);
    const sending = b.page.evaluate(({ M, seed }) => window.chaos.sendAll(M, seed, 6000), { M, seed: SEED });
    let pushed = 1;
    let offline = 0;
    const deadline = Date.now() + 25000;
    for (let round = 0; (b.cuts < 32 || pushed <= N) && Date.now() < deadline; round++) {
      pushed = await pushSome(sid, pushed, rng.int(5, 15), rng);
      // Cut a few frames into whatever comes next (a replay, a burst of pushes, a ping), or right away.
      for (const p of b.pipes) rng.next() < 0.5 ? p.cut() : (p.cutAfter = rng.int(1, 6));
      if (round % 8 == 4) {
        // Offline: the cut connection is not retried until the browser is back online, and the pushes meanwhile wait on the server.
        offline++;
        await b.context.setOffline(true);
        for (const p of [...b.pipes]) p.cut();
        pushed = await pushSome(sid, pushed, rng.int(5, 10), rng);
        await sleep(rng.int(150, 400));
        await b.context.setOffline(false);
      }
      await sleep(rng.int(60, 200));
    }
    await sending;
    const { page } = await finish(b, sid, `websocket, ${offline} offline spells`);
    expect(b.cuts, 'cuts that hit a live WebSocket').toBeGreaterThanOrEqual(30);
    expect(page.opens.every((t: string) => t == 'websocket')).toBe(true);
    // The client noticed the offline spells: it waited for the network instead of retrying.
    expect(page.reconnecting.filter((r: any) => r.delay == Infinity).length, 'reconnections that waited for the network').toBeGreaterThanOrEqual(1);
  });

  it('WebSocket refused mid-run: the session moves to SSE, then long polling, then back to WebSocket, nothing lost or repeated', async () => {
    const rng = prng(SEED + 1);
    const b = await open();
    const sid = await sidOf(b);
    const sending = b.page.evaluate(({ M, seed }) => window.chaos.sendAll(M, seed, 8000), { M, seed: SEED + 1 });
    let pushed = 1;
    const onTransport = async (t: string) => {
      const ok = await waitFor(async () => (await transportOf(b)) == t && (await state(b)) == 'open', 15000);
      expect(ok, `the client moved to ${t} — seed=${SEED}`).toBe(true);
    };
    /** A few rounds of traffic with cuts of the current transport's HTTP requests (or WebSocket). */
    const chaos = async (rounds: number, kinds: ('send' | 'poll' | 'ws')[]) => {
      for (let r = 0; r < rounds; r++) {
        pushed = await pushSome(sid, pushed, rng.int(5, 12), rng);
        const kind = kinds[rng.int(0, kinds.length - 1)]!;
        if (kind == 'ws') for (const p of b.pipes) p.cutAfter = rng.int(1, 4);
        else b.failNext.push({ kind, when: rng.next() < 0.5 ? 'before' : 'after' });
        await sleep(rng.int(80, 200));
      }
    };

    await chaos(5, ['ws']);
    // WebSocket refused from now on: the next cut sends the session to SSE.
    b.refuseWs = true;
    for (const p of [...b.pipes]) p.cut();
    await onTransport('sse');
    await chaos(6, ['send']);
    // EventSource refused too: a failed POST ends the SSE connection, and the session goes on over long polling.
    b.refuseSse = true;
    b.failNext.push({ kind: 'send', when: 'after' });
    pushed = await pushSome(sid, pushed, 5, rng);
    await onTransport('long-polling');
    await chaos(8, ['send', 'poll']);
    // WebSocket back, long polling refused: the next cut brings the session back to WebSocket.
    b.refuseWs = b.refuseSse = false;
    b.refusePoll = true;
    b.failNext.push({ kind: 'poll', when: 'after' });
    await onTransport('websocket');
    await chaos(5, ['ws']);
    b.refusePoll = false;
    while (pushed <= N) pushed = await pushSome(sid, pushed, 20, rng);
    await sending;

    const { page, mine } = await finish(b, sid, 'ws>sse>long-polling>ws');
    const path = page.opens.filter((t: string, i: number) => t != page.opens[i - 1]);
    expect(path, 'the transports the session went through').toEqual(['websocket', 'sse', 'long-polling', 'websocket']);
    expect(new Set(mine.map(([, t]) => t)), 'transports the server resumed the session on').toEqual(new Set(['websocket', 'sse', 'long-polling']));
  });
});
