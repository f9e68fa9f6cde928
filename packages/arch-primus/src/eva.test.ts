import { Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { Eva } from './eva.js';
import { maxRelativeError } from './test-support/primus-fixtures.js';

setBackend(new ReferenceBackend());

const grid = [2, 2, 3] as const;
const build = () => new Eva({
  embedDim: 12, depth: 2, numHeads: 2, mlpRatio: (4 * 2) / 3, initValues: 0.1, scaleAttnInner: true,
  useAbsPosEmb: true, useRotPosEmb: true, tokenGrid: grid, dropPathRate: 0, rng: new Rng(4),
});
const tokens = (seed: number): Float32Array => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 2 * 12 * 12 }, () => rng.normal());
};
const rows = (t: Float32Array, n: number, token: number) => [...t.subarray((n * 12 + token) * 12, (n * 12 + token + 1) * 12)];

describe('Eva', () => {
  describe('having every token kept in a shuffled order', () => {
    it('should return the full output in that order (position and rotary embeddings travel with their tokens)', async () => {
      const eva = build().eval();
      const x = tensor(tokens(1), [2, 12, 12]);
      const full = await eva.forward(x).floats();
      const order = [[11, 0, 5, 3, 2, 9, 7, 1, 4, 10, 6, 8], [4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3]];
      const kept = await eva.forward(x, { keep: { indices: Int32Array.from(order.flat()), perSample: 12 } }).floats();
      order.forEach((o, n) => o.forEach((token, i) => {
        expect(maxRelativeError(kept.subarray((n * 12 + i) * 12, (n * 12 + i + 1) * 12), rows(full, n, token))).toBeLessThan(1e-5);
      }));
    });
  });

  describe('having a subset of tokens kept', () => {
    it('should return [N, K, dim] that does not depend on the dropped tokens', async () => {
      const eva = build().eval();
      const keep = { indices: Int32Array.of(0, 7, 3, 2, 11, 5), perSample: 3 };
      const a = tokens(2);
      const b = a.slice();
      for (let n = 0; n < 2; n++) for (let t = 0; t < 12; t++) {
        if (!keep.indices.subarray(n * 3, n * 3 + 3).includes(t)) for (let c = 0; c < 12; c++) b[(n * 12 + t) * 12 + c] = 5;
      }
      const run = (v: Float32Array): Tensor => eva.forward(tensor(v, [2, 12, 12]), { keep });
      expect(run(a).shape).toEqual([2, 3, 12]);
      expect(await run(b).floats()).toEqual(await run(a).floats());
    });

    it('should refuse repeated or out-of-range token indices', () => {
      const eva = build();
      const x = tensor(tokens(3), [2, 12, 12]);
      expect(() => eva.forward(x, { keep: { indices: Int32Array.of(0, 0, 1, 2), perSample: 2 } })).toThrow(/sample 0 has repeated token index 0/);
      expect(() => eva.forward(x, { keep: { indices: Int32Array.of(0, 1, 2, 12), perSample: 2 } })).toThrow(/sample 1 has out-of-range token index 12/);
    });
  });

  it('should give block i the stochastic depth rate·i/(depth − 1), as timm does', () => {
    const eva = new Eva({
      embedDim: 12, depth: 3, numHeads: 2, mlpRatio: 2, initValues: 0.1, scaleAttnInner: true, useAbsPosEmb: true, useRotPosEmb: true,
      tokenGrid: grid, dropPathRate: 0.2, rng: new Rng(0),
    });
    expect(eva.blocks.items.map((b) => b.dropPath)).toEqual([0, 0.1, 0.2]);
  });
});
