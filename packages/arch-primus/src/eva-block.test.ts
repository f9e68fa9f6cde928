import { Rng, setBackend, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { EvaBlock } from './eva-block.js';
import { RotaryEmbedding3d } from './rotary-embedding.js';
import { evaBlockFixture, filled, filledDict, maxRelativeError } from './test-support/primus-fixtures.js';

const backend = new ReferenceBackend();
setBackend(backend);
const fixture = evaBlockFixture();

// An EVA block written in the fixture script from the spec (plain torch, float64) against ours: pre-norm,
// q/k/v with k unbiased, 3D RoPE, attention, inner LayerNorm, SwiGLU with LayerNorm, LayerScale.
describe('EvaBlock', () => {
  for (const c of fixture.cases) {
    describe(`having ${c.name === 'all-tokens' ? 'every token of a 2×3×4 grid' : 'a different subset of kept tokens per sample'}`, () => {
      const run = () => {
        const block = new EvaBlock({ dim: fixture.dim, numHeads: fixture.heads, mlpHidden: 64, initValues: 0.1, scaleAttnInner: true, dropPath: 0, rng: new Rng(0) });
        block.loadStateDict(filledDict(fixture.weights));
        const rope = new RotaryEmbedding3d(fixture.grid, fixture.dim / fixture.heads);
        const keep = c.keep ? { indices: Int32Array.from(c.keep), perSample: c.perSample } : undefined;
        const x = filled(c.input).requireGrad();
        const y = block.forward(x, rope.tables(keep));
        y.mul(filled(c.lossWeights)).sum().backward();
        return { block, x, y };
      };

      it('should match the PyTorch output to 1e-4 relative', async () => {
        const { y } = run();
        expect(y.shape).toEqual(c.output.shape);
        expect(maxRelativeError(await y.floats(), c.output.data)).toBeLessThan(1e-4);
      });

      it('should match the PyTorch gradients of the input and of every parameter to 1e-4 relative', async () => {
        const { block, x } = run();
        expect(maxRelativeError(await x.grad!.floats(), c.gradInput)).toBeLessThan(1e-4);
        const params = block.namedParameters();
        expect(params.map(([k]) => k).sort()).toEqual(Object.keys(c.gradParams).sort());
        for (const [k, p] of params) {
          expect(maxRelativeError(await p.grad!.floats(), c.gradParams[k]!), k).toBeLessThan(1e-4);
        }
      });
    });
  }

  describe('having drop path', () => {
    it('should drop whole samples of a branch in training, with the same draws for the same Rng, and never in eval', async () => {
      const block = new EvaBlock({ dim: 12, numHeads: 2, mlpHidden: 32, initValues: 0.1, scaleAttnInner: true, dropPath: 0.5, rng: new Rng(1) });
      const x = tensor(Float32Array.from({ length: 4 * 3 * 12 }, (_, i) => Math.sin(i)), [4, 3, 12]);
      const a = await block.forward(x, undefined, new Rng(9)).floats();
      const b = await block.forward(x, undefined, new Rng(9)).floats();
      expect(a).toEqual(b);
      block.eval();
      const e1 = await block.forward(x, undefined, new Rng(9)).floats();
      const e2 = await block.forward(x, undefined, new Rng(10)).floats();
      expect(e1).toEqual(e2);
      expect(a).not.toEqual(e1);
    });
  });
});
