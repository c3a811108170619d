/** The outcome of a promise, readable once microtasks have run (after `await tick()`). */
export function outcome<T>(p: Promise<T>): { value?: T; error?: Error; settled: boolean } {
  const box: { value?: T; error?: Error; settled: boolean } = { settled: false };
  p.then(
    (v) => Object.assign(box, { value: v, settled: true }),
    (e: Error) => Object.assign(box, { error: e, settled: true }),
  );
  return box;
}
