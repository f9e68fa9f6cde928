import { defineConfig } from 'vitest/config';

// One vitest run over every workspace package. Tests import package sources directly through the
// "@openmind-ssl/source" export condition, so they need no build.
export default defineConfig({
  resolve: { conditions: ['@openmind-ssl/source'] },
  ssr: { resolve: { conditions: ['@openmind-ssl/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    pool: 'forks',
    maxWorkers: 2,
    // Two test processes share the cores: each (and every CLI it spawns) runs ONNX Runtime on one thread,
    // instead of two spinning threads per process fighting over two cores.
    env: { OMP_NUM_THREADS: '1' },
  },
});
