import { defineConfig } from 'tsup';

export default defineConfig({
  // The main entry and the browser-safe one (src/browser.ts).
  entry: ['src/index.ts', 'src/browser.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
