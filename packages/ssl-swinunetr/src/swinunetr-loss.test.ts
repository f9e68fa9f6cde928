import { readFileSync } from 'node:fs';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type Backend, crossEntropy, l1, Rng, tensor, withBackend } from '@openmind-ssl/core';
import { maxRelativeError, ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { swinContrastLoss } from './contrast-loss.js';
import { patchRandDrop, rotateAndCut } from './rotate-and-cut.js';

// Golden values from PyTorch (test/fixtures/make_swinunetr_fixtures.py: SwinUNETRLoss's three terms written
// from nnssl-spec §3.9, float64; numpy.rot90 on axes (2, 3)). Tolerance: 1e-5 relative (values), 1e-4 (gradients).
interface Fixtures {
  b: number; dim: number; vol: number[]; recon: number[]; target: number[]; embeddings: number[]; logits: number[]; rotations: number[];
  l1: number; contrast: number; ce: number; total: number; grad_embeddings: number[]; grad_logits: number[];
  rot90: { shape: [number, number, number, number]; input: number[]; k: Record<string, number[]> };
}
const f = JSON.parse(readFileSync(new URL('../test/fixtures/swinunetr_fixtures.json', import.meta.url), 'utf8')) as Fixtures;

const onnx = new OnnxRuntimeBackend();
await onnx.init();
afterAll(() => onnx.close());
const backends: [string, Backend][] = [['reference', new ReferenceBackend()], ['onnxruntime', onnx]];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('SwinUNETR loss', () => {
  for (const [name, backend] of backends) {
    it(`should equal nnssl's SwinUNETRLoss terms (L1 + contrast τ 0.5 + rotation CE) and their gradients (${name})`, async () => {
      await withBackend(backend, async () => {
        const shape = [2 * f.b, ...f.vol];
        const emb = tensor(Float32Array.from(f.embeddings), [2 * f.b, f.dim]).requireGrad();
        const logits = tensor(Float32Array.from(f.logits), [2 * f.b, 4]).requireGrad();
        const recon = l1(tensor(Float32Array.from(f.recon), shape), tensor(Float32Array.from(f.target), shape));
        const contrast = swinContrastLoss(emb, 0.5);
        const ce = crossEntropy(logits, tensor(Int32Array.from(f.rotations), [2 * f.b], { dtype: 'int32' }));
        expect(rel(await recon.item(), f.l1)).toBeLessThan(1e-5);
        expect(rel(await contrast.item(), f.contrast)).toBeLessThan(1e-5);
        expect(rel(await ce.item(), f.ce)).toBeLessThan(1e-5);
        const total = recon.add(contrast).add(ce);
        expect(rel(await total.item(), f.total)).toBeLessThan(1e-5);
        total.backward();
        expect(maxRelativeError(await emb.grad!.floats(), f.grad_embeddings, 1e-3)).toBeLessThan(1e-4);
        expect(maxRelativeError(await logits.grad!.floats(), f.grad_logits, 1e-3)).toBeLessThan(1e-4);
      });
    });
  }
});

describe('rotateAndCut', () => {
  const shape = [2, 1, 3, 4, 4] as const;
  const image = Float32Array.from({ length: 2 * 48 }, (_, i) => i % 48);

  it('should turn each sample by its label k in the (Y, Z) plane as numpy.rot90(x, k, axes=(2, 3))', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 12; seed++) {
      const v = rotateAndCut(image, shape, new Rng(seed), 0);
      for (let s = 0; s < 2; s++) {
        const k = v.rotations[s]!;
        seen.add(k);
        expect(Array.from(v.rotated.subarray(48 * s, 48 * s + 48))).toEqual(f.rot90.k[String(k)]);
      }
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('should cut boxes into the views only, filled with [0, 1] noise or copied from another sample, deterministic per seed', () => {
    const big = [3, 1, 20, 20, 20] as const;
    const img = Float32Array.from({ length: 3 * 8000 }, (_, i) => 10 + Math.floor(i / 8000));
    for (let seed = 0; seed < 5; seed++) {
      const v = rotateAndCut(img, big, new Rng(seed), 0.3);
      expect(Array.from(v.rotated)).toEqual(Array.from(img));
      expect(Array.from(rotateAndCut(img, big, new Rng(seed), 0.3).cutout)).toEqual(Array.from(v.cutout));
      for (let s = 0; s < 3; s++) {
        const own = v.cutout.subarray(8000 * s, 8000 * (s + 1));
        // Each voxel is its own sample's value, another sample's (10, 11, 12), or noise in [0, 1].
        expect(own.every((x) => (x >= 0 && x <= 1) || x === 10 || x === 11 || x === 12)).toBe(true);
      }
    }
  });

  it('should cover at least the drawn fraction of the volume with boxes of at most a quarter edge', () => {
    const x = new Float32Array(8000).fill(5);
    patchRandDrop(x, [1, 20, 20, 20], new Rng(3), 1);
    const changed = x.filter((v) => v !== 5).length;
    expect(changed).toBeGreaterThan(0);
    const none = new Float32Array(8000).fill(5);
    patchRandDrop(none, [1, 20, 20, 20], new Rng(3), 0);
    expect(none.every((v) => v === 5)).toBe(true);
  });
});
