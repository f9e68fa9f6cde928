import { readFileSync } from 'node:fs';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type Backend, tensor, withBackend } from '@openmind-ssl/core';
import { maxRelativeError, ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { overlapLabels } from './overlap-labels.js';
import { vocoLoss, vocoPredictionLoss, vocoRegularizationLoss } from './voco-loss.js';

// Golden values from PyTorch (test/fixtures/make_voco_fixtures.py: nnssl's VocoTransform labels and VoCoLoss
// written from nnssl-spec §3.6, float64). Tolerance: 1e-5 relative for values, 1e-4 for gradients (float32).
interface Labels { grid: [number, number, number]; crop: [number, number, number]; starts: number[][]; labels: number[] }
interface Fixtures {
  labels: Labels;
  labels3d: Labels;
  loss: { b: number; n: number; t: number; d: number; base: number[]; target: number[]; overlaps: number[]; loss: number; pred: number; reg: number; grad_base: number[]; grad_target: number[] };
}
const fixtures = JSON.parse(readFileSync(new URL('../test/fixtures/voco_fixtures.json', import.meta.url), 'utf8')) as Fixtures;

const onnx = new OnnxRuntimeBackend();
await onnx.init();
afterAll(() => onnx.close());
const backends: [string, Backend][] = [['reference', new ReferenceBackend()], ['onnxruntime', onnx]];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('overlapLabels', () => {
  it("should equal nnssl's VoCo labels for given target boxes (4×4×1 of 64³ and 2×2×2 of 16³), each row summing to 1", () => {
    for (const f of [fixtures.labels, fixtures.labels3d]) {
      const got = overlapLabels(f.starts, f.grid, f.crop);
      expect(maxRelativeError(got, f.labels, 1e-6)).toBeLessThan(1e-6);
      const n = f.grid[0] * f.grid[1] * f.grid[2];
      for (let t = 0; t < f.starts.length; t++) expect(got.subarray(t * n, (t + 1) * n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it('should refuse a target outside the patch', () => {
    expect(() => overlapLabels([[200, 0, 0]], [4, 4, 1], [64, 64, 64])).toThrow(/target 0 at \[200, 0, 0\] must lie inside the patch \[256, 256, 64\]/);
  });
});

describe('vocoLoss', () => {
  for (const [name, backend] of backends) {
    it(`should equal nnssl's VoCoLoss (prediction + regularisation) and its gradients on fixed embeddings (${name})`, async () => {
      const f = fixtures.loss;
      await withBackend(backend, async () => {
        const base = tensor(Float32Array.from(f.base), [f.b, f.n, f.d]).requireGrad();
        const target = tensor(Float32Array.from(f.target), [f.b, f.t, f.d]).requireGrad();
        const overlaps = tensor(Float32Array.from(f.overlaps), [f.b, f.t, f.n]);
        expect(rel(await vocoPredictionLoss(base, target, overlaps).item(), f.pred)).toBeLessThan(1e-5);
        expect(rel(await vocoRegularizationLoss(base).item(), f.reg)).toBeLessThan(1e-5);
        const loss = vocoLoss(base, target, overlaps);
        expect(rel(await loss.item(), f.loss)).toBeLessThan(1e-5);
        loss.backward();
        // The base embeddings are detached in the prediction loss: their gradient is the regulariser's alone.
        expect(maxRelativeError(await base.grad!.floats(), f.grad_base, 1e-3)).toBeLessThan(1e-4);
        expect(maxRelativeError(await target.grad!.floats(), f.grad_target, 1e-3)).toBeLessThan(1e-4);
      });
    });
  }

  it('should name the shape overlaps must have', () => {
    withBackend(backends[0]![1], () => {
      const e = tensor(new Float32Array(2 * 4 * 3), [2, 4, 3]);
      expect(() => vocoPredictionLoss(e, tensor(new Float32Array(2 * 2 * 3), [2, 2, 3]), tensor(new Float32Array(8), [2, 4]))).toThrow(/overlaps must be \[B, T, N\] = \[2, 2, 4\], but got \[2, 4\]/);
    });
  });
});
