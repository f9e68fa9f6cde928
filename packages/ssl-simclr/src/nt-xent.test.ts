import { readFileSync } from 'node:fs';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type Backend, ProjectionHead, Rng, tensor, withBackend } from '@openmind-ssl/core';
import { maxRelativeError, ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ntXent } from './nt-xent.js';

// Golden values from PyTorch (test/fixtures/make_simclr_fixtures.py, nnssl's NTXentLoss and VocoProjectionHead
// written from nnssl-spec §3.5/§4.6, float64). Tolerance: 1e-5 relative in float32.
interface Fixtures {
  nt_xent: { n: number; dim: number; temperature: number; embeddings: number[]; loss: number; grad: number[] }[];
  projector: { in: number; hidden: number; out: number; x: number[]; y: number[]; state: Record<string, { shape: number[]; data: number[] }> };
}
const fixtures = JSON.parse(readFileSync(new URL('../test/fixtures/simclr_fixtures.json', import.meta.url), 'utf8')) as Fixtures;

const onnx = new OnnxRuntimeBackend();
await onnx.init();
afterAll(() => onnx.close());
const backends: [string, Backend][] = [['reference', new ReferenceBackend()], ['onnxruntime', onnx]];

describe('ntXent', () => {
  for (const [name, backend] of backends) {
    it(`should equal nnssl's NTXentLoss and its gradient on fixed embeddings (${name})`, async () => {
      for (const f of fixtures.nt_xent) {
        await withBackend(backend, async () => {
          const e = tensor(Float32Array.from(f.embeddings), [2 * f.n, f.dim]).requireGrad();
          const loss = ntXent(e, f.temperature);
          const value = await loss.item();
          expect(Math.abs(value - f.loss) / Math.abs(f.loss), `N=${f.n} τ=${f.temperature}`).toBeLessThan(1e-5);
          loss.backward();
          expect(maxRelativeError(await e.grad!.floats(), f.grad, 1e-6)).toBeLessThan(1e-4);
        });
      }
    });
  }

  it('should refuse an odd number of rows and a non-positive temperature', () => {
    withBackend(backends[0]![1], () => {
      expect(() => ntXent(tensor(new Float32Array(6), [3, 2]), 0.5)).toThrow(/embeddings must be \[2N, D\] with N ≥ 1, but got \[3, 2\]/);
      expect(() => ntXent(tensor(new Float32Array(8), [4, 2]), 0)).toThrow(/temperature must be positive/);
    });
  });
});

describe('ProjectionHead', () => {
  it("should equal nnssl's VocoProjectionHead (InstanceNorm1d on a 2-D tensor normalises each row)", async () => {
    const p = fixtures.projector;
    await withBackend(backends[0]![1], async () => {
      const head = new ProjectionHead(p.in, p.hidden, p.out, new Rng(0));
      head.loadStateDict(new Map(Object.entries(p.state).map(([k, v]) => [k, tensor(Float32Array.from(v.data), v.shape)])));
      expect([...head.stateDict().keys()].sort()).toEqual(Object.keys(p.state).sort());
      const y = await head.forward(tensor(Float32Array.from(p.x), [p.x.length / p.in, p.in])).floats();
      expect(maxRelativeError(y, p.y, 1e-6)).toBeLessThan(1e-5);
    });
  });
});
