/** Timers and a clock; injected so that tests control time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

/** What the environment provides; each defaults to the global of the same name. */
export interface Platform {
  _WebSocket?: typeof WebSocket;
  _EventSource?: typeof EventSource;
  _fetch?: typeof fetch;
  _timers: Timers;
}

// Globals are looked up at call time, not import time, so fake timers installed later still apply.
export const globalTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
