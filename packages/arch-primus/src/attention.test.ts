import {
  gradients, matmul, Rng, scaledDotProductAttention, setBackend, softmax, type Tensor, tensor, tidy,
} from '@openmind-ssl/core';
import { gradcheck, ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { maxRelativeError } from './test-support/primus-fixtures.js';

// Tests of core's blocked attention op (packages/core/src/ops/attention.ts), written with this package
// because Primus is its first user.
const backend = new ReferenceBackend();
setBackend(backend);

const random = (shape: number[], seed: number): Tensor => {
  const rng = new Rng(seed);
  return tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
};

/** The textbook composite: softmax(q·kᵀ·scale)·v with the whole score matrix. */
const naive = (q: Tensor, k: Tensor, v: Tensor, scale = 1 / Math.sqrt(q.shape.at(-1)!)) => matmul(softmax(matmul(q, k, false, true).mul(scale), -1), v);

describe('scaledDotProductAttention', () => {
  const shapes = { q: [2, 3, 11, 6], k: [2, 3, 9, 6], v: [2, 3, 9, 5] };

  for (const budget of [undefined, 2 * 3 * 9 * 4, 1]) {
    describe(`having ${budget === undefined ? 'the default block budget (one block)' : `a budget of ${budget} score elements (${budget === 1 ? 'one query row per block' : 'blocks of 4, 4, 3 rows'})`}`, () => {
      it('should equal the unblocked composite, forward and backward, to 1e-5 relative', async () => {
        const [q, k, v] = [random(shapes.q, 1).requireGrad(), random(shapes.k, 2).requireGrad(), random(shapes.v, 3).requireGrad()];
        const w = random([2, 3, 11, 5], 4);
        const ours = scaledDotProductAttention(q, k, v, budget === undefined ? {} : { maxScoreElements: budget });
        const ref = naive(q, k, v);
        expect(ours.shape).toEqual([2, 3, 11, 5]);
        expect(maxRelativeError(await ours.floats(), await ref.floats())).toBeLessThan(1e-5);
        const g1 = gradients(ours.mul(w).sum(), [q, k, v]);
        const g2 = gradients(ref.mul(w).sum(), [q, k, v]);
        for (let i = 0; i < 3; i++) expect(maxRelativeError(await g1[i]!.floats(), await g2[i]!.floats()), 'qkv'[i]).toBeLessThan(1e-5);
      });
    });
  }

  it('should pass a float64 finite-difference gradient check with blocks of 2 query rows and a custom scale', async () => {
    const bad = await gradcheck({
      id: 'attention',
      inputs: [[2, 5, 4], [2, 3, 4], [2, 3, 3]],
      fn: (q, k, v) => scaledDotProductAttention(q!, k!, v!, { scale: 0.7, maxScoreElements: 2 * 3 * 2 }),
    }, backend, backend);
    expect(bad).toEqual([]);
  });

  it('should leave no tensors behind after a forward and backward in a scope', () => {
    const [q, k, v] = [random([1, 2, 7, 4], 5).requireGrad(), random([1, 2, 7, 4], 6).requireGrad(), random([1, 2, 7, 4], 7).requireGrad()];
    const before = backend.memory().handles;
    tidy(() => {
      const y = scaledDotProductAttention(q, k, v, { maxScoreElements: 2 * 7 * 2 });
      gradients(y.sum(), [q, k, v]);
    });
    expect(backend.memory().handles).toBe(before);
  });

  it('should name the mismatch when q, k and v disagree', () => {
    expect(() => scaledDotProductAttention(random([2, 4, 3], 1), random([2, 4, 5], 2), random([2, 4, 5], 3))).toThrow(/q \[\.\.\., Nq, d\], k \[\.\.\., Nk, d\] and v \[\.\.\., Nk, dv\] disagree/);
    expect(() => scaledDotProductAttention(random([2, 4, 3], 1), random([3, 4, 3], 2), random([3, 4, 3], 3))).toThrow(/must share their leading axes/);
  });
});
