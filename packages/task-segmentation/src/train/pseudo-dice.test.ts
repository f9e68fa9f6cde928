import { setBackend, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { addDiceCounts, emptyCounts, nanMean, pseudoDice, updateEma } from './pseudo-dice.js';

setBackend(new ReferenceBackend());

describe('online pseudo-Dice', () => {
  it('should count tp/fp/fn per foreground class from the argmax, skipping ignored voxels', async () => {
    // 1 sample, 3 classes, 4 voxels (as [1, 3, 1, 1, 4]); predictions: 1, 2, 0, 1; truth: 1, 1, 0, ignore(3).
    const logits = tensor(Float32Array.from([0, 0, 9, 0, 9, 0, 0, 9, 0, 9, 0, 0]), [1, 3, 1, 1, 4]);
    const target = tensor(Int32Array.from([1, 1, 0, 3]), [1, 1, 1, 1, 4], { dtype: 'int32' });
    const counts = emptyCounts(3);
    await addDiceCounts(counts, logits, target, 3);
    expect(Array.from(counts.tp)).toEqual([1, 0]);
    expect(Array.from(counts.fp)).toEqual([0, 1]);
    expect(Array.from(counts.fn)).toEqual([1, 0]);
    const dice = pseudoDice(counts);
    expect(dice[0]).toBeCloseTo(2 / 3, 12);
    expect(dice[1]).toBe(0);
  });

  it('should give NaN for a class never present nor predicted, and nanmean over the rest', () => {
    const dice = pseudoDice({ tp: Float64Array.from([3, 0]), fp: Float64Array.from([1, 0]), fn: Float64Array.from([1, 0]) });
    expect(dice[0]).toBeCloseTo(0.75, 12);
    expect(dice[1]).toBeNaN();
    expect(nanMean(dice)).toBeCloseTo(0.75, 12);
  });

  it("should update the EMA as nnU-Net (0.9·ema + 0.1·new; the first epoch takes the value; NaN epochs leave it)", () => {
    expect(updateEma(undefined, 0.5)).toBe(0.5);
    expect(updateEma(0.5, 1)).toBeCloseTo(0.55, 12);
    expect(updateEma(0.55, NaN)).toBe(0.55);
  });
});
