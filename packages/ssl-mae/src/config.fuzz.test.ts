import fc from 'fast-check';
import { parseConfig } from '@openmind-ssl/core';
import { applyJsonMutations, describeJsonMutations, fuzzSettings, jsonMutations, parserOutcome } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { maeConfigSchema } from './config.js';

// Mutations of MAE's method config (--method-config / methodConfig): each is accepted within the
// schema's ranges, or refused with an OpenMindError naming the method.
const SEED = { maskRatio: 0.75, blockSize: 16, excludeAnonymized: false, lr: 0.01, momentum: 0.99, nesterov: true, weightDecay: 3e-5, gradClip: 12 };

describe('MAE method config on mutated input', () => {
  it('accepts in-range configs and names the method otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(jsonMutations(), async (m) => {
        // A few fields take microseconds; the 1 s bound catches a hang, not a scheduler's pause on a loaded
        // machine (100 ms was passed once in 25,000 cases at load 55).
        const out = await parserOutcome(() => parseConfig('ssl-mae', maeConfigSchema, applyJsonMutations(SEED, m)), {
          names: 'ssl-mae', timeLimitMs: 1000, allocationLimit: 1 << 16, input: describeJsonMutations(m, SEED),
        });
        if (!out.ok) return;
        const c = out.value;
        expect(c.maskRatio > 0 && c.maskRatio < 1 && Number.isInteger(c.blockSize) && c.blockSize > 0 && c.lr > 0).toBe(true);
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
  });
});
