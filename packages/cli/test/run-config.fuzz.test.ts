import fc from 'fast-check';
import { OpenMindError } from '@openmind-ssl/core';
import { applyJsonMutations, describeJsonMutations, fuzzSettings, jsonMutations, parserOutcome } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src/run-config.js';

// Mutations of a run configuration (--config): each is accepted with the declared types, or refused with
// an OpenMindError naming the file.
const SEED = { plugins: ['@openmind-ssl/example-ssl-rotation'], method: 'mae', arch: 'resenc-tiny', methodConfig: { maskRatio: 0.6, blockSize: 8 } };
const FILE = 'runs/config.json';

describe('parseRunConfig on mutated configs', () => {
  it('accepts well-typed configs and names the file otherwise', async () => {
    let read = 0;
    await fc.assert(
      fc.asyncProperty(jsonMutations(), async (m) => {
        const json = applyJsonMutations(SEED, m);
        // 1 s catches a hang, not a scheduler's pause on a loaded machine.
        const out = await parserOutcome(() => parseRunConfig(json, FILE), { names: FILE, timeLimitMs: 1000, allocationLimit: 1 << 16, input: describeJsonMutations(m, SEED) });
        if (!out.ok) return;
        read++;
        const c = out.value;
        // What is accepted has the types pretrain relies on.
        expect(c.plugins === undefined || c.plugins.every((p) => typeof p === 'string')).toBe(true);
        expect(c.method === undefined || typeof c.method === 'string').toBe(true);
        expect(c.methodConfig === undefined || (typeof c.methodConfig === 'object' && c.methodConfig !== null && !Array.isArray(c.methodConfig))).toBe(true);
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
    expect(read).toBeGreaterThan(0);
  });

  it('refuses a non-list plugins field (was a TypeError when spreading it)', () => {
    expect(() => parseRunConfig({ plugins: 5 }, FILE)).toThrow(OpenMindError);
    expect(() => parseRunConfig({ plugins: 5 }, FILE)).toThrow(/'runs\/config\.json': 'plugins' must be a list of package names/);
    expect(() => parseRunConfig({ methodConfg: {} }, FILE)).toThrow(/unknown key\(s\) 'methodConfg'/);
  });
});
