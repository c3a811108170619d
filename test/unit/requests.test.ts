// Requests waiting for their reply (PROTOCOL.md 5.5), on their own: each
// settles once, by its reply, its deadline, or the client closing.
import { beforeEach, describe, expect, it } from 'vitest';
import { RealtimeError, ServerError, TimeoutError } from '../../src';
import { Requests } from '../../src/requests';
import { manualClock, type ManualClock } from './helpers/manual-clock';
import { outcome } from './helpers/outcome';

let clock: ManualClock;
let q: Requests;

beforeEach(() => {
  clock = manualClock();
  q = new Requests(clock.timers);
});


const flush = () => Promise.resolve().then(() => {});

/** A request whose outcome does not matter to the test; returns its id. */
function add(type: string): string {
  const [id, p] = q._add(type, 1000);
  p.catch(() => {});
  return id;
}

describe('Requests', () => {
  it('gives each request its own id', () => {
    const ids = [add('a'), add('b'), add('a')];
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => typeof id == 'string' && id.length > 0)).toBe(true);
  });

  it('a reply resolves its request with the reply\'s data, and only its own', async () => {
    const [id1, p1] = q._add<number>('sum', 1000);
    const [id2, p2] = q._add<number>('sum', 1000);
    const o1 = outcome(p1);
    const o2 = outcome(p2);
    expect(q._reply({ type: 'sum', data: 6, seq: 1, re: id2 })).toBe(true);
    await flush();
    expect(o2).toEqual({ value: 6, settled: true });
    expect(o1.settled).toBe(false);
    expect(q._reply({ type: 'sum', data: 3, seq: 2, re: id1 })).toBe(true);
    await flush();
    expect(o1).toEqual({ value: 3, settled: true });
    expect(clock.pending()).toBe(0); // no deadline left behind
  });

  it('a reply without data resolves with undefined', async () => {
    const [id, p] = q._add('ping', 1000);
    q._reply({ type: 'ping', re: id });
    await expect(p).resolves.toBeUndefined();
  });

  it('an error reply rejects with a ServerError carrying the server\'s code and message', async () => {
    const [id, p] = q._add('sum', 1000);
    q._reply({ type: 'sum', error: { code: 'bad_request', message: 'data must be an array of numbers' }, re: id });
    const e = await p.catch((e: unknown) => e);
    expect(e).toBeInstanceOf(ServerError);
    expect(e).toMatchObject({ name: 'ServerError', code: 'bad_request', message: 'data must be an array of numbers' });
  });

  it('an error reply without a message says its code', async () => {
    const [id, p] = q._add('nope', 1000);
    q._reply({ type: 'nope', error: { code: 'unknown_request' } as never, re: id });
    await expect(p).rejects.toMatchObject({ code: 'unknown_request', message: 'unknown_request' });
  });

  it('no reply within the timeout: rejects with a TimeoutError that names the type and the timeout', async () => {
    const [, p] = q._add('time', 500);
    const o = outcome(p);
    clock.advance(499);
    await flush();
    expect(o.settled).toBe(false);
    clock.advance(1);
    await flush();
    expect(o.error).toBeInstanceOf(TimeoutError);
    expect(o.error).toMatchObject({ timeout: 500, message: 'request "time" got no reply within 500 ms' });
  });

  it('a reply after the timeout is ignored: it answers nothing, and the request stays timed out', async () => {
    const [id, p] = q._add('time', 500);
    const o = outcome(p);
    clock.advance(500);
    expect(q._reply({ type: 'time', data: 1, re: id })).toBe(false);
    await flush();
    expect(o.error).toBeInstanceOf(TimeoutError);
    expect(o.value).toBeUndefined();
  });

  it('a second reply to the same request is ignored', async () => {
    const [id, p] = q._add('time', 500);
    expect(q._reply({ type: 'time', data: 1, re: id })).toBe(true);
    expect(q._reply({ type: 'time', data: 2, re: id })).toBe(false);
    await expect(p).resolves.toBe(1);
  });

  it('an envelope that answers no request is not taken', () => {
    add('time');
    expect(q._reply({ type: 'chat', data: 'hi', seq: 1 })).toBe(false);
    expect(q._reply({ type: 'time', data: 1, re: 'no-such-id' })).toBe(false);
    expect(q._reply({ type: 'time', data: 1, re: 1 as never })).toBe(false);
  });

  it('_failAll rejects every pending request with a RealtimeError that says why, and stops their deadlines', async () => {
    const os = [q._add('a', 500), q._add('b', 1000)].map(([, p]) => outcome(p));
    const [doneId, done] = q._add('c', 1000);
    q._reply({ type: 'c', data: 'ok', re: doneId });
    q._failAll('client closed');
    await flush();
    for (const o of os) {
      expect(o.error).toBeInstanceOf(RealtimeError);
      expect(o.error!.message).toBe('request not answered: client closed');
    }
    await expect(done).resolves.toBe('ok');
    expect(clock.pending()).toBe(0);
    clock.advance(60000);
    await flush();
    expect(os.map((o) => o.error!.name)).toEqual(['RealtimeError', 'RealtimeError']);
  });

  it('a reply after _failAll is ignored', async () => {
    const [id, p] = q._add('a', 500);
    q._failAll('client closed');
    expect(q._reply({ type: 'a', data: 1, re: id })).toBe(false);
    await expect(p).rejects.toThrow('request not answered: client closed');
  });
});
