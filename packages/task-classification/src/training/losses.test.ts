import { setBackend, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, classificationLoss } from './losses.js';

setBackend(new ReferenceBackend());

describe('classification losses', () => {
  it('BCE with logits equals −[y·log σ(x) + (1−y)·log(1−σ(x))] averaged, also for large |x| (to 1e-6)', async () => {
    const x = [-30, -2, -0.5, 0, 0.7, 3, 25, 1.5];
    const y = [0, 1, 0, 1, 1, 0, 1, 0];
    // Stable closed form per element: log(1 + e^x) − x·y, with log(1 + e^x) = max(x, 0) + log1p(e^−|x|).
    const expected = x.reduce((s, v, i) => s + Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - v * y[i]!, 0) / x.length;
    const got = await binaryCrossEntropyWithLogits(tensor(Float32Array.from(x), [2, 4]), tensor(Float32Array.from(y), [2, 4])).item();
    expect(got).toBeCloseTo(expected, 5);
    expect(Number.isFinite(got)).toBe(true);
  });
  it('uses BCE for multi-label (int 0/1 targets cast) and cross-entropy with label smoothing otherwise', async () => {
    const logits = tensor(Float32Array.of(2, -1, 0.5, 0.5), [2, 2]);
    const multi = await classificationLoss(logits, tensor(Int32Array.of(1, 0, 0, 1), [2, 2], { dtype: 'int32' }), true, 0).item();
    const sp = (v: number) => Math.log1p(Math.exp(v));
    expect(multi).toBeCloseTo((sp(-2) + sp(-1) + sp(0.5) + sp(-0.5)) / 4, 5);
    const ce = await classificationLoss(logits, tensor(Int32Array.of(0, 1), [2], { dtype: 'int32' }), false, 0.2).item();
    const lse = (a: number, b: number) => Math.log(Math.exp(a) + Math.exp(b));
    // Per case: (1 − ε)·(−log p_target) + ε·mean over classes of (−log p_c), ε = 0.2, C = 2.
    const case0 = 0.8 * (lse(2, -1) - 2) + 0.2 * ((lse(2, -1) - 2) + (lse(2, -1) + 1)) / 2;
    const case1 = 0.8 * (lse(0.5, 0.5) - 0.5) + 0.2 * (lse(0.5, 0.5) - 0.5);
    expect(ce).toBeCloseTo((case0 + case1) / 2, 5);
  });
});
