import { Rng } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend } from '../create-webgpu-backend.js';
import { describeWebGpu } from '../testing/describe-webgpu.js';
import type { GpuTensor } from '../runtime/gpu-tensor.js';
import { sessionOf } from '../testing/session-of.js';
import type { WebGpuBackend } from '../webgpu-backend.js';
import { matmul } from './matmul.js';

/** Float64 product of stored [B, M, K]/[B, K, N] (or transposed) operands. */
function naive(a: Float32Array, b: Float32Array, bt: number, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const out = new Float64Array(bt * m * n);
  for (let p = 0; p < bt; p++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let q = 0; q < k; q++) {
      const av = a[p * m * k + (ta ? q * m + i : i * k + q)]!;
      const bv = b[p * k * n + (tb ? j * k + q : q * n + j)]!;
      acc += av * bv;
    }
    out[p * m * n + i * n + j] = acc;
  }
  return out;
}

describeWebGpu('matmul', () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = createWebGpuBackend();
    await backend.init();
  });
  afterAll(async () => backend.close());

  // Larger than the conformance cases: they straddle several 4-wide register blocks and 64-wide tiles,
  // with (second) and without (first) vec4-aligned axes, and the second is batched.
  const sizes: [number, number, number, number][] = [[1, 70, 33, 66], [3, 4, 64, 68]];
  for (const variant of ['register', 'tiled'] as const) {
    describe(`having the ${variant} variant`, () => {
      for (const [bt, m, k, n] of sizes) {
        for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          it(`should match a float64 product for [${bt}, ${m}, ${k}] x [${bt}, ${k}, ${n}] (ta=${ta}, tb=${tb}) within 1e-5`, async () => {
            const rng = new Rng(m * 1000 + k * 10 + n);
            const a = rng.fillNormal(new Float32Array(bt * m * k), 0, 1);
            const b = rng.fillNormal(new Float32Array(bt * k * n), 0, 1 / Math.sqrt(k));
            const ha = backend.upload(a, ta ? [bt, k, m] : [bt, m, k], 'float32');
            const hb = backend.upload(b, tb ? [bt, n, k] : [bt, k, n], 'float32');
            const y = matmul(sessionOf(backend), ha as GpuTensor, hb as GpuTensor, ta, tb, variant);
            const got = await backend.read(y);
            const want = naive(a, b, bt, m, k, n, ta, tb);
            let worst = 0;
            want.forEach((w, i) => { worst = Math.max(worst, Math.abs(got[i]! - w) / (1 + Math.abs(w))); });
            expect(worst).toBeLessThan(1e-5);
            for (const h of [ha, hb, y]) backend.dispose(h);
          });
        }
      }
    });
  }
});
