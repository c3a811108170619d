import { beforeEach, describe, expect, it } from 'vitest';
import { Heartbeat } from '../../src/heartbeat';
import { manualClock, type ManualClock } from './helpers/manual-clock';

const INTERVAL = 25000;
const TIMEOUT = 10000;

let clock: ManualClock;
let pings: number[];
let deaths: number[];
let hb: Heartbeat;

beforeEach(() => {
  clock = manualClock();
  pings = [];
  deaths = [];
  hb = new Heartbeat(clock.timers, INTERVAL, TIMEOUT, () => pings.push(clock.now()), () => deaths.push(clock.now()));
});

describe('Heartbeat', () => {
  it('pings every interval while the server keeps talking', () => {
    for (let t = 0; t < 100000; t += 5000) {
      clock.advance(5000);
      hb._received();
    }
    expect(pings).toEqual([25000, 50000, 75000, 100000]);
    expect(deaths).toEqual([]);
  });

  it('declares the connection dead after interval + timeout of silence, once', () => {
    clock.advance(INTERVAL + TIMEOUT - 1);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deaths).toEqual([INTERVAL + TIMEOUT]);
    clock.advance(100000);
    expect(deaths).toHaveLength(1);
  });

  it('counts silence from the last receipt of anything', () => {
    clock.advance(30000);
    hb._received();
    clock.advance(INTERVAL + TIMEOUT - 1);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deaths).toEqual([30000 + INTERVAL + TIMEOUT]);
  });

  it('pings on time even when receipts keep it alive', () => {
    clock.advance(24000);
    hb._received();
    clock.advance(1000);
    expect(pings).toEqual([25000]);
  });

  it('does not declare a healthy connection dead when its timer fires a minute late (background tab)', () => {
    // Timers are throttled, but network events still arrive: the server's pings were received.
    for (const at of [20000, 45000, 59000]) {
      clock.skip(at - clock.now());
      hb._received();
    }
    clock.skip(60000 - clock.now());
    clock.fireDue();
    expect(deaths).toEqual([]);
    expect(pings).toEqual([60000]);
  });

  it('a late timer does declare dead a connection that really was silent', () => {
    clock.skip(60000);
    clock.fireDue();
    expect(deaths).toEqual([60000]);
  });

  it('_probe() pings at once and expects an answer within the timeout', () => {
    clock.advance(1000);
    hb._received();
    hb._probe();
    expect(pings).toEqual([1000]);
    clock.advance(TIMEOUT - 1);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deaths).toEqual([1000 + TIMEOUT]);
  });

  it('an answer to _probe() keeps the connection alive', () => {
    hb._probe();
    clock.advance(TIMEOUT / 2);
    hb._received();
    clock.advance(TIMEOUT);
    expect(deaths).toEqual([]);
  });

  it('after _probe(), the next regular ping comes one interval later', () => {
    clock.advance(10000);
    hb._probe();
    hb._received();
    clock.advance(INTERVAL);
    expect(pings).toEqual([10000, 10000 + INTERVAL]);
  });

  it('_stop() silences it: no more pings, no death, no timer left', () => {
    clock.advance(1000);
    hb._stop();
    clock.advance(1000000);
    expect(pings).toEqual([]);
    expect(deaths).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('_probe() after _stop() does not re-arm it', () => {
    hb._stop();
    hb._probe();
    clock.advance(1000000);
    expect(deaths).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});
