// `npm test`: type-check, build the bundles, then run the unit, integration and browser tests.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npx', ['tsc', '--noEmit', '-p', '.']);
run('npx', ['tsc', '--noEmit', '-p', 'test/tsconfig.json']);
run('npx', ['rollup', '-c', '--silent']);
run('node', ['test/size.mjs']);
run('npx', ['vitest', 'run', '--config', 'test/vitest.config.ts', ...process.argv.slice(2)]);
