import { defineConfig } from 'tsup';

// The library, its browser-safe entry (src/browser.ts), the `openmind-data` command (its shebang line is kept by tsup), and the two worker-thread
// entries the loader and preprocessing start (spawn-worker.ts finds them next to the built index).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    browser: 'src/browser.ts',
    'bin/openmind-data': 'src/bin/openmind-data.ts',
    'batch-worker': 'src/loader/batch-worker.ts',
    'preprocess-worker': 'src/preprocess/preprocess-worker.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', browser: 'src/browser.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
