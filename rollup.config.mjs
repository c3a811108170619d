import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';

// Members internal to the package (private ones, and those modules share with each other) are named `_x`;
// mangling them is much of what keeps the UMD small. Public API and wire fields never start with `_`.
// `sequences: false`, `if_return: false` and single quotes make the output a little longer but more repetitive, so smaller gzipped (by ~35 B).
const minify = terser({
  mangle: { properties: { regex: /^_/ } },
  compress: { passes: 2, sequences: false, if_return: false },
  format: { comments: false, quote_style: 1 },
});
const ts = () => typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined, outDir: 'dist' });

export default [
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
    plugins: [ts()],
  },
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/realtime.umd.js', format: 'umd', name: 'Realtime', exports: 'named', sourcemap: true },
      { file: 'dist/realtime.umd.min.js', format: 'umd', name: 'Realtime', exports: 'named', sourcemap: true, plugins: [minify] },
    ],
    plugins: [ts()],
  },
  {
    // One bundled declaration file, copied for each condition of the exports map.
    input: 'src/index.ts',
    output: [{ file: 'dist/index.d.ts' }, { file: 'dist/index.d.cts' }],
    plugins: [dts({ compilerOptions: { stripInternal: true } })],
  },
];
