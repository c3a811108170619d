import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emitter } from '../../src/emitter';

interface Events {
  a: number;
  b: string;
}

// A throwing listener is reported as an unhandled rejection, on purpose; catch those here
// (so that vitest does not fail the run) and let the tests check them.
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Node reports unhandled rejections once the microtask queue has drained; yield one turn of the event loop (not a sleep). */
const nextMacrotask = () => new Promise((r) => setImmediate(r));

describe('Emitter', () => {
  it('calls the listeners of an event with its payload, in the order they were added', () => {
    const e = new Emitter<Events>();
    const got: string[] = [];
    e.on('a', (n) => got.push('first ' + n));
    e.on('a', (n) => got.push('second ' + n));
    e.on('b', (s) => got.push('b ' + s));
    e._emit('a', 1);
    expect(got).toEqual(['first 1', 'second 1']);
  });

  it('emitting an event nobody listens to does nothing', () => {
    expect(() => new Emitter<Events>()._emit('b', 'x')).not.toThrow();
  });

  it('off() stops a listener', () => {
    const e = new Emitter<Events>();
    const got: number[] = [];
    const fn = (n: number) => got.push(n);
    e.on('a', fn);
    e._emit('a', 1);
    e.off('a', fn);
    e._emit('a', 2);
    expect(got).toEqual([1]);
  });

  it('the function returned by on() unsubscribes', () => {
    const e = new Emitter<Events>();
    const got: number[] = [];
    const stop = e.on('a', (n) => got.push(n));
    e._emit('a', 1);
    stop();
    stop();
    e._emit('a', 2);
    expect(got).toEqual([1]);
  });

  it('a listener added twice is called twice and removed once per off()', () => {
    const e = new Emitter<Events>();
    const got: number[] = [];
    const fn = (n: number) => got.push(n);
    e.on('a', fn);
    e.on('a', fn);
    e._emit('a', 1);
    e.off('a', fn);
    e._emit('a', 2);
    expect(got).toEqual([1, 1, 2]);
  });

  it('off() of an unknown listener or event is harmless', () => {
    const e = new Emitter<Events>();
    const got: number[] = [];
    e.on('a', (n) => got.push(n));
    e.off('a', () => {});
    e.off('b', () => {});
    e._emit('a', 1);
    expect(got).toEqual([1]);
  });

  it('a listener that unsubscribes while being called does not make its neighbour miss the event', () => {
    const e = new Emitter<Events>();
    const got: string[] = [];
    const stop = e.on('a', () => {
      got.push('first');
      stop();
    });
    e.on('a', () => got.push('second'));
    e._emit('a', 1);
    e._emit('a', 2);
    expect(got).toEqual(['first', 'second', 'second']);
  });

  it('a throwing listener does not stop the others, and its error surfaces as an unhandled rejection', async () => {
    const e = new Emitter<Events>();
    const got: string[] = [];
    const boom = new Error('boom');
    e.on('a', () => got.push('before'));
    e.on('a', () => {
      throw boom;
    });
    e.on('a', () => got.push('after'));
    expect(() => e._emit('a', 1)).not.toThrow();
    expect(got).toEqual(['before', 'after']);
    await nextMacrotask();
    expect(unhandled).toEqual([boom]);
  });
});
