// Reports the size of the script-tag bundle, and fails past the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = Number(process.env.SIZE_BUDGET || 7168); // bytes gzipped; a later milestone brings the full client to 5 kB
const min = readFileSync(new URL('../dist/realtime.umd.min.js', import.meta.url));
const gz = gzipSync(min, { level: 9 }).length;
console.log(`size: dist/realtime.umd.min.js ${min.length} B minified, ${gz} B gzipped (budget ${BUDGET} B)`);
if (gz > BUDGET) {
  console.error(`size: over budget by ${gz - BUDGET} B`);
  process.exit(1);
}
