import { RefTensor } from './ref-tensor.js';

/** Batched [B, M, K] × [B, K, N]; a transposed operand is stored as [B, K, M] or [B, N, K]. */
export function matmul(a: RefTensor, b: RefTensor, transposeA: boolean, transposeB: boolean): RefTensor {
  const [batch, a1, a2] = a.shape as [number, number, number];
  const [, b1, b2] = b.shape as [number, number, number];
  const [m, k] = transposeA ? [a2, a1] : [a1, a2];
  const n = transposeB ? b1 : b2;
  const out = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const av = transposeA ? a.values[bi * k * m + p * m + i]! : a.values[bi * m * k + i * k + p]!;
          const bv = transposeB ? b.values[bi * n * k + j * k + p]! : b.values[bi * k * n + p * n + j]!;
          acc += av * bv;
        }
        out[bi * m * n + i * n + j] = acc;
      }
    }
  }
  return new RefTensor([batch, m, n], a.dtype, out);
}
