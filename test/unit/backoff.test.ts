import { describe, expect, it } from 'vitest';
import { backoff, type BackoffOptions } from '../../src/backoff';

const o: BackoffOptions = { minDelay: 100, maxDelay: 1000, factor: 2, jitter: 0 };
const never = () => 0;

describe('backoff', () => {
  it('starts at minDelay and grows by factor per attempt', () => {
    expect([1, 2, 3, 4].map((a) => backoff(a, o, never))).toEqual([100, 200, 400, 800]);
  });

  it('uses the given factor', () => {
    expect([1, 2, 3].map((a) => backoff(a, { ...o, factor: 3 }, never))).toEqual([100, 300, 900]);
  });

  it('is capped at maxDelay however many attempts were made', () => {
    expect(backoff(5, o, never)).toBe(1000);
    expect(backoff(50, o, never)).toBe(1000);
    expect(backoff(5000, o, never)).toBe(1000);
  });

  it('with random() = 0, jitter takes nothing off', () => {
    expect(backoff(3, { ...o, jitter: 0.5 }, () => 0)).toBe(400);
  });

  it('with random() close to 1, jitter takes off nearly its whole share', () => {
    expect(backoff(3, { ...o, jitter: 0.5 }, () => 0.9999)).toBe(200);
    expect(backoff(3, { ...o, jitter: 1 }, () => 0.9999)).toBe(0);
  });

  it('stays within [base × (1 − jitter), base] for any random value', () => {
    for (const r of [0, 0.1, 0.25, 0.5, 0.75, 0.999]) {
      const d = backoff(4, { ...o, jitter: 0.3 }, () => r);
      expect(d).toBeGreaterThanOrEqual(560);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it('applies jitter to the capped delay, never above maxDelay', () => {
    expect(backoff(20, { ...o, jitter: 0.5 }, () => 0)).toBe(1000);
    expect(backoff(20, { ...o, jitter: 0.5 }, () => 0.5)).toBe(750);
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(backoff(2, { ...o, jitter: 0.5 }, () => 1 / 3))).toBe(true);
  });
});
