import { defineConfig } from 'vitest/config';

// The conformance suite trains a tiny network for a few seconds per check: allow for a slow CPU.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
