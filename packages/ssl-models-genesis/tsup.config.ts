import { defineConfig } from 'tsup';

// Two ESM entries: the plugin, and the view sampler that data workers import by path (next to index.js).
export default defineConfig({
  entry: ['src/index.ts', 'src/models-genesis-sampler.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
