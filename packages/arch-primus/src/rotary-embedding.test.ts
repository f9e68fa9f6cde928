import { Rng, setBackend, sum, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { applyRotary, RotaryEmbedding3d, rotaryTables } from './rotary-embedding.js';
import { tokenIndex } from './token-layout.js';

setBackend(new ReferenceBackend());

describe('rotaryTables', () => {
  // Grid [2, 3, 4], head width 12: 2 bands per axis, channels [d-axis 0..3 | h-axis 4..7 | w-axis 8..11].
  const grid = [2, 3, 4] as const;
  const { sin, cos } = rotaryTables(grid, 12);
  const row = (t: Float32Array, token: number) => [...t.subarray(token * 12, token * 12 + 12)];

  it('should rotate each axis by its own third of the head channels, in pairs (token (0, 0, 1) moves only the w-axis channels)', () => {
    const s = row(sin, tokenIndex(grid, 0, 0, 1));
    expect(s.slice(0, 8)).toEqual(new Array(8).fill(0));
    const omega1 = Math.fround(1 / Math.fround(10000 ** 0.5));
    expect(s.slice(8)).toEqual([Math.sin(1), Math.sin(1), Math.sin(omega1), Math.sin(omega1)].map(Math.fround));
    expect(row(sin, tokenIndex(grid, 1, 0, 0)).slice(4)).toEqual(new Array(8).fill(0));
    expect(row(sin, tokenIndex(grid, 0, 2, 0)).slice(4, 8)).toEqual([Math.sin(2), Math.sin(2), Math.sin(2 * omega1), Math.sin(2 * omega1)].map(Math.fround));
    expect(row(cos, tokenIndex(grid, 0, 0, 0))).toEqual(new Array(12).fill(1));
  });

  it("should use timm's bands 1/10000^(j/b) with b = headDim/6 (12 bands for Primus-M's 72-channel heads)", () => {
    const m = rotaryTables([1, 1, 2], 72);
    for (const j of [0, 5, 11]) expect(m.sin[72 + 2 * (24 + j)]).toBeCloseTo(Math.sin(10000 ** (-j / 12)), 6);
  });
});

describe('RotaryEmbedding3d', () => {
  it('should give scores that depend only on the offset between two tokens', async () => {
    const rope = new RotaryEmbedding3d([3, 3, 3], 6);
    const rng = new Rng(3);
    const q = tensor(Float32Array.from({ length: 6 }, () => rng.normal()), [1, 1, 1, 6]);
    const k = tensor(Float32Array.from({ length: 6 }, () => rng.normal()), [1, 1, 1, 6]);
    const score = async (a: number, b: number) => {
      const ta = rope.tables({ indices: Int32Array.of(a), perSample: 1 });
      const tb = rope.tables({ indices: Int32Array.of(b), perSample: 1 });
      return sum(applyRotary(q, ta).mul(applyRotary(k, tb))).item();
    };
    const g = [3, 3, 3] as const;
    // same offset (+1, −1, +2) from two places
    expect(await score(tokenIndex(g, 0, 1, 0), tokenIndex(g, 1, 0, 2))).toBeCloseTo(await score(tokenIndex(g, 1, 2, 0), tokenIndex(g, 2, 1, 2)), 5);
    expect(await score(tokenIndex(g, 0, 1, 0), tokenIndex(g, 1, 0, 2))).not.toBeCloseTo(await score(tokenIndex(g, 0, 1, 0), tokenIndex(g, 1, 2, 0)), 3);
  });

  it("should gather each sample's rows for its kept tokens, shaped [N, 1, K, headDim]", async () => {
    const rope = new RotaryEmbedding3d([2, 2, 2], 6);
    const t = rope.tables({ indices: Int32Array.of(7, 0, 3, 3), perSample: 2 });
    expect(t.sin.shape).toEqual([2, 1, 2, 6]);
    const all = await rope.sin.floats();
    const got = await t.sin.floats();
    [7, 0, 3, 3].forEach((token, i) => expect([...got.subarray(i * 6, i * 6 + 6)]).toEqual([...all.subarray(token * 6, token * 6 + 6)]));
  });

  it('should keep its tables out of the state dict (non-persistent, as in timm)', () => {
    const rope = new RotaryEmbedding3d([2, 2, 2], 6);
    expect(rope.stateDict().size).toBe(0);
    expect(rope.namedBuffers().map(([k]) => k)).toEqual(['sin', 'cos']);
  });
});
