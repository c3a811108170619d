import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

// Private members are written `_name`; mangling them is what keeps the UMD small.
const mangle = { properties: { regex: /^_/ } };

export default [
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.json', declaration: true, declarationDir: 'dist/types', outDir: 'dist' })],
  },
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/realtime.umd.js', format: 'umd', name: 'Realtime', exports: 'named', sourcemap: true },
      {
        file: 'dist/realtime.umd.min.js',
        format: 'umd',
        name: 'Realtime',
        exports: 'named',
        sourcemap: true,
        plugins: [terser({ mangle, compress: { passes: 2 }, format: { comments: false } })],
      },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.json', declaration: false, declarationDir: undefined, outDir: 'dist' })],
  },
];
