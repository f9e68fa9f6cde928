import { OpenMindError } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { filledValues, type ValueRecipe } from '@openmind-ssl/testing';
import { fixtureJson, relativeError } from '../test-support/fixtures.js';
import { float32Raw, rawValues } from '../torch/raw-tensor.js';
import { resizePositionEmbedding } from './resize-position-embedding.js';

interface PosEmbedFixture {
  oldGrid: [number, number, number];
  newGrid: [number, number, number];
  channels: number;
  input: ValueRecipe;
  output: { shape: number[]; data: number[] };
}

describe('resizePositionEmbedding', () => {
  const fx = fixtureJson<PosEmbedFixture>('pos-embed.json');
  const pe = float32Raw(filledValues(fx.input), fx.input.shape);

  // Tolerance: float64 here vs PyTorch float32 on values of order 1: 1e-6 relative to the largest value.
  it("should match PyTorch's F.interpolate(trilinear, align_corners=False) on a [1, T, C] token grid within 1e-6", () => {
    const out = resizePositionEmbedding(pe, fx.oldGrid, fx.newGrid);
    expect(out.shape).toEqual(fx.output.shape);
    expect(relativeError(rawValues(out), fx.output.data)).toBeLessThan(1e-6);
  });

  it('should keep prefix tokens unchanged and return the grid unchanged when sizes agree', () => {
    const prefix = float32Raw([9, 8, 7, 6, 5], [1, 1, 5]);
    const withPrefix = float32Raw([...rawValues(prefix), ...rawValues(pe)], [1, 1 + fx.input.shape[1]!, 5]);
    const out = resizePositionEmbedding(withPrefix, fx.oldGrid, fx.newGrid, { prefixTokens: 1 });
    expect(rawValues(out).slice(0, 5)).toEqual([9, 8, 7, 6, 5]);
    expect(relativeError(rawValues(out).slice(5), fx.output.data)).toBeLessThan(1e-6);
    expect(rawValues(resizePositionEmbedding(pe, fx.oldGrid, fx.oldGrid))).toEqual(rawValues(pe));
  });

  it('should refuse an embedding that does not match the source grid', () => {
    expect(() => resizePositionEmbedding(pe, [2, 2, 2], fx.newGrid, { name: 'eva.pos_embed' })).toThrow(OpenMindError);
    expect(() => resizePositionEmbedding(pe, [2, 2, 2], fx.newGrid, { name: 'eva.pos_embed' })).toThrow(/eva.pos_embed: must be \[1, 8, C\]/);
  });
});
