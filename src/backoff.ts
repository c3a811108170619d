/** Timing of reconnection attempts: exponential growth with jitter. */
export interface BackoffOptions {
  /** Delay before the first attempt, in ms (before jitter). Default 500. */
  minDelay: number;
  /** Upper bound of any delay, in ms. Default 30 000. */
  maxDelay: number;
  /** Growth per attempt. Default 2. */
  factor: number;
  /** Share of the delay that is random, 0 (none) to 1 (full jitter). Default 0.5. */
  jitter: number;
}

/**
 * The delay before reconnection attempt `attempt` (1-based): the exponential
 * base, less a random share of it so that many clients cut off at once do not
 * all come back at the same moment.
 */
export function backoff(attempt: number, o: BackoffOptions, random: () => number): number {
  const base = Math.min(o.maxDelay, o.minDelay * Math.pow(o.factor, attempt - 1));
  return Math.round(base * (1 - o.jitter * random()));
}
