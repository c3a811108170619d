// The published package as a user gets it: the built ESM, CJS, UMD and
// declaration files that package.json points at (npm test builds them first).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const EXPORTS = ['ConnectError', 'ProtocolError', 'RealtimeClient', 'RealtimeError', 'ServerError', 'TimeoutError', 'TransportError'];

describe('package', () => {
  it('every file package.json names exists', () => {
    const x = pkg.exports['.'];
    for (const file of [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, x.import.types, x.import.default, x.require.types, x.require.default])
      expect(existsSync(new URL(file, root)), file).toBe(true);
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('ESM and CJS builds export the same API', async () => {
    const esm = await import(new URL(pkg.module, root).href);
    const cjs = createRequire(import.meta.url)(new URL(pkg.main, root).pathname);
    expect(Object.keys(esm).sort()).toEqual(EXPORTS);
    expect(Object.keys(cjs).sort()).toEqual(EXPORTS);
    expect(() => new esm.RealtimeClient('nope')).toThrow(TypeError);
  });

  it('the minified UMD defines the global Realtime when loaded by a plain script tag', () => {
    const sandbox: Record<string, any> = {};
    sandbox.self = sandbox;
    runInNewContext(readFileSync(new URL(pkg.unpkg, root), 'utf8'), sandbox);
    expect(Object.keys(sandbox.Realtime).sort()).toEqual(EXPORTS);
  });

  it('the bundled declarations describe the client and hide internals', () => {
    const d = readFileSync(new URL(pkg.types, root), 'utf8');
    expect(d).toContain('declare class RealtimeClient');
    expect(d).not.toMatch(/\b_emit\b/); // internals stay out of the public types
  });

  it('npm pack ships dist, README and PROTOCOL, and no sources or tests', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' });
    const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/realtime.umd.min.js', 'dist/index.mjs', 'dist/index.cjs', 'dist/index.d.ts', 'README.md', 'PROTOCOL.md']));
    expect(files.filter((f) => /^(src|test|demo)\//.test(f))).toEqual([]);
  });
});
