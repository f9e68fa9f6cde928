import { readFileSync } from 'node:fs';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, gradients, type HostBatch, maskedInstanceNorm, Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { type FillRecipe, filled, filledValues, maxRelativeError, ReferenceBackend, type ValueRecipe } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { BlockActiveVoxels, type SparkMethod, sparkFactory, sparkLoss } from '../src/index.js';

// test/fixtures/spark-fixtures.json, made by test/fixtures/make_spark_fixtures.py (PyTorch, float64):
// nnssl's SparseInstanceNorm3d (gather → InstanceNorm1d → scatter), SparkLoss, and a whole SparK step of
// resenc-tiny converted as convert_to_spark_cnn does. Tolerance: 1e-5 relative.
interface ForwardVariant { loss: number; outputFirst: number[]; outputSum: number; encoderSums: number[] }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/spark-fixtures.json', import.meta.url), 'utf8')) as {
  sparseInstanceNorm: {
    x: ValueRecipe; weight: ValueRecipe; bias: ValueRecipe; upstream: ValueRecipe; active: number[]; eps: number;
    y: number[]; dx: number[]; dweight: number[]; dbias: number[];
  };
  sparkLoss: { prediction: ValueRecipe; target: ValueRecipe; grid: [number, number, number]; cells: number[]; loss: number };
  sparkForward: {
    patch: [number, number, number]; grid: [number, number, number]; cells: number[]; input: ValueRecipe; weights: FillRecipe[];
    maskedInput: ForwardVariant; unmaskedInput: ForwardVariant;
  };
};

// The float64 reference backend (rounded to float32 only when read), so the comparison checks the
// formulas rather than float32 accumulation through a whole U-Net.
setBackend(new ReferenceBackend());

const rel = (a: number, e: number) => Math.abs(a - e) / Math.abs(e);

describe('SparK against PyTorch (fixed inputs, 1e-5 relative)', () => {
  it("should normalise over active voxels as nnssl's SparseInstanceNorm3d, forward and gradients", async () => {
    const f = fixture.sparseInstanceNorm;
    const x = filled(f.x).requireGrad(true);
    const w = filled(f.weight).requireGrad(true);
    const b = filled(f.bias).requireGrad(true);
    const active = tensor(f.active, [f.x.shape[0]!, 1, ...f.x.shape.slice(2)]);
    const y = maskedInstanceNorm(x, active, w, b, f.eps);
    const [dx, dw, db] = gradients(y.mul(filled(f.upstream)).sum(), [x, w, b]);
    expect(maxRelativeError(await y.floats(), f.y)).toBeLessThan(1e-5);
    expect(maxRelativeError(await dx!.floats(), f.dx)).toBeLessThan(1e-5);
    expect(maxRelativeError(await dw!.floats(), f.dweight)).toBeLessThan(1e-5);
    expect(maxRelativeError(await db!.floats(), f.dbias)).toBeLessThan(1e-5);
  });

  it("should score the hidden voxels only, as nnssl's SparkLoss", async () => {
    const f = fixture.sparkLoss;
    const shape = f.prediction.shape;
    const active = new BlockActiveVoxels({ grid: f.grid, n: shape[0]!, visible: Uint8Array.from(f.cells) });
    const hidden = active.voxels(shape.slice(2) as [number, number, number]).map((v) => 1 - v);
    const loss = await sparkLoss(filled(f.prediction), filled(f.target), tensor(hidden, [shape[0]!, 1, ...shape.slice(2)])).item();
    expect(rel(loss, f.loss)).toBeLessThan(1e-5);
  });

  describe.each([
    ['masked', true, () => fixture.sparkForward.maskedInput],
    ['unmasked (nnssl)', false, () => fixture.sparkForward.unmaskedInput],
  ] as const)('a whole SparK step on resenc-tiny with the input %s', (_, maskInput, expected) => {
    it('should give PyTorch\'s encoder features and loss', async () => {
      const f = fixture.sparkForward;
      const method = createSslMethod(sparkFactory, {
        config: { blockSize: f.patch[0] / f.grid[0], maskInput }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: f.patch, rng: new Rng(0),
      }) as SparkMethod;
      method.network.loadStateDict(new Map(f.weights.map((r) => [r.key, filled(r)] as [string, Tensor])), { strict: true });
      const image = filledValues(f.input);
      const batch: HostBatch = { image, shape: f.input.shape as unknown as HostBatch['shape'] };
      const bottleneck = f.patch.map((s) => s / 8);
      const active = new BlockActiveVoxels({ grid: f.grid, n: 2, visible: Uint8Array.from(f.cells) }, [bottleneck]);
      const x = tensor(image, f.input.shape);
      const encoderInput = maskInput ? x.mul(active.at(f.patch)!) : x;
      const sums = await Promise.all(method.network.architecture.encodeSparse(encoderInput, active).map((m) => m.sum().item()));
      const want = expected();
      expect(maxRelativeError(sums, want.encoderSums, 1e-2)).toBeLessThan(1e-5);
      expect(rel(await method.lossWith(batch, active).item(), want.loss)).toBeLessThan(1e-5);
    }, 180_000);
  });
});
