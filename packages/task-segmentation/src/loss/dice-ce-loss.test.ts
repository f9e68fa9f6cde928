import { readFileSync } from 'node:fs';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type Backend, gradients, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepSupervisionLoss, deepSupervisionWeights } from './deep-supervision.js';
import { diceCeLoss } from './dice-ce-loss.js';
import { downsampleLabels } from './downsample-labels.js';

// Golden values from test/fixtures/make_dice_ce.py (PyTorch 1.13, float64, nnU-Net's formula).
interface LossCase {
  name: string; batchDice: boolean; ignoreLabel: number | null;
  logitsShape: number[]; logits: number[]; targetShape: number[]; target: number[]; loss: number; grad: number[];
}
interface DsFixture {
  weights: number[]; targetShape: number[]; target: number[]; downsampled: number[][]; loss: number;
  outputs: { shape: number[]; logits: number[]; grad: number[] | null }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/dice-ce.json', import.meta.url), 'utf8')) as {
  cases: LossCase[]; deepSupervision: DsFixture; dsWeights5: number[];
};

const TOL = 1e-5;
const maxAbs = (a: ArrayLike<number>, b: readonly number[]) => Math.max(...b.map((v, i) => Math.abs(a[i]! - v)));

for (const [backendName, create] of [
  ['reference', () => new ReferenceBackend()],
  ['onnxruntime', () => new OnnxRuntimeBackend()],
] as [string, () => Backend][]) {
  describe(`diceCeLoss on ${backendName}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = create();
      await backend.init();
      setBackend(backend);
    });
    afterAll(async () => backend.close());

    for (const c of fixture.cases) {
      it(`should equal PyTorch's nnU-Net formula, value and gradient, to 1e-5: ${c.name}`, async () => {
        const logits = tensor(Float32Array.from(c.logits), c.logitsShape).requireGrad();
        const target = tensor(Int32Array.from(c.target), c.targetShape, { dtype: 'int32' });
        const loss = diceCeLoss(logits, target, { batchDice: c.batchDice, ignoreLabel: c.ignoreLabel });
        const [grad] = gradients(loss, [logits]) as Tensor[];
        expect(Math.abs((await loss.item()) - c.loss)).toBeLessThan(TOL);
        expect(maxAbs(await grad!.data(), c.grad)).toBeLessThan(TOL);
      });
    }

    it('should equal PyTorch with deep supervision (3 outputs, weights 2/3, 1/3, 0; nearest-exact targets)', async () => {
      const ds = fixture.deepSupervision;
      const weights = deepSupervisionWeights(ds.outputs.length);
      weights.forEach((w, i) => expect(w).toBeCloseTo(ds.weights[i]!, 12));
      const shape = ds.targetShape as [number, number, number, number, number];
      const targets = ds.outputs.map((o, i) => {
        const scale = o.shape[2]! / shape[2]!;
        const down = downsampleLabels(Int32Array.from(ds.target), shape, [scale, scale, scale]);
        expect(Array.from(down.data)).toEqual(ds.downsampled[i]);
        return tensor(down.data, down.shape, { dtype: 'int32' });
      });
      const outputs = ds.outputs.map((o) => tensor(Float32Array.from(o.logits), o.shape).requireGrad());
      const loss = deepSupervisionLoss(outputs, targets, weights, (o, t) => diceCeLoss(o, t, { batchDice: false }));
      const grads = gradients(loss, outputs.slice(0, 2)) as Tensor[];
      expect(Math.abs((await loss.item()) - ds.loss)).toBeLessThan(TOL);
      for (let i = 0; i < 2; i++) expect(maxAbs(await grads[i]!.data(), ds.outputs[i]!.grad!)).toBeLessThan(TOL);
    });
  });
}

describe('deepSupervisionWeights', () => {
  it('should give 8/15, 4/15, 2/15, 1/15, 0 for the five outputs of a 6-stage network', () => {
    const w = deepSupervisionWeights(5);
    [8 / 15, 4 / 15, 2 / 15, 1 / 15, 0].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 12));
    fixture.dsWeights5.forEach((v, i) => expect(w[i]).toBeCloseTo(v, 12));
    expect(deepSupervisionWeights(1)).toEqual([1]);
  });
});
