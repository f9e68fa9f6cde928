import { defineConfig } from 'tsup';

// One ESM entry with its bundled .d.ts; core, inversify and zod stay imports (peer and runtime dependencies).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
