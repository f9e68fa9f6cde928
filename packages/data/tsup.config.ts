import { defineConfig } from 'tsup';

// Two entries: the library and the `openmind-data` command (its shebang line is kept by tsup).
export default defineConfig({
  entry: { index: 'src/index.ts', 'bin/openmind-data': 'src/bin/openmind-data.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
