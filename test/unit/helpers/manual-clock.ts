// Injected timers driven by hand. Besides running timers on time (advance), it
// can model a background tab: the clock moves on while timers do not fire
// (skip), and then they fire late, all at once (fireDue).
import type { Timers } from '../../../src';

export interface ManualClock {
  timers: Timers;
  /** Current time in ms. */
  now(): number;
  /** Moves time forward, firing each timer at its due time, in order. */
  advance(ms: number): void;
  /** Moves time forward without firing anything (a throttled background tab). */
  skip(ms: number): void;
  /** Fires every timer that is due by now, late. */
  fireDue(): void;
  /** Timers scheduled and not yet fired or cleared. */
  pending(): number;
}

export function manualClock(start = 0): ManualClock {
  let now = start;
  let nextId = 1;
  const tasks = new Map<number, { at: number; fn: () => void }>();
  const due = () => [...tasks.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
  const fireDue = () => {
    for (let d = due(); d.length; d = due()) {
      const [id, t] = d[0]!;
      tasks.delete(id);
      t.fn();
    }
  };
  return {
    timers: {
      setTimeout(fn, ms) {
        const id = nextId++;
        tasks.set(id, { at: now + Math.max(0, ms), fn });
        return id;
      },
      clearTimeout(id) {
        tasks.delete(id as number);
      },
      now: () => now,
    },
    now: () => now,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...tasks.values()].reduce((m, t) => Math.min(m, t.at), Infinity);
        if (next > end) break;
        now = Math.max(now, next);
        fireDue();
      }
      now = end;
    },
    skip(ms) {
      now += ms;
    },
    fireDue,
    pending: () => tasks.size,
  };
}
