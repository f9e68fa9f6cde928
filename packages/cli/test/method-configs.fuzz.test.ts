import fc from 'fast-check';
import { ArchitectureId, parseConfig, SSLMethodId } from '@openmind-ssl/core';
import { applyJsonMutations, describeJsonMutations, fuzzSettings, jsonMutations, parserOutcome } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { loadPlugins, runtimeOf } from '../src/plugins.js';

// Mutations of every built-in SSL method's config (--method-config), for each architecture family whose
// networks the method builds: each is accepted and then a fixed point of the schema (parsing what was
// accepted gives it back), or refused with an OpenMindError naming the method. ssl-mae has its own test
// with hand-picked seeds; this one starts from each method's defaults.
const rt = runtimeOf(await loadPlugins());
const pairs = rt.names(SSLMethodId).flatMap((method) => rt.names(ArchitectureId).map((family) => ({ method, family })));

describe('SSL method configs on mutated input', () => {
  it('covers every built-in method', () => {
    expect(rt.names(SSLMethodId)).toEqual(expect.arrayContaining(['mae', 'simmim', 'models-genesis', 'volume-fusion', 'simclr', 'voco', 'swinunetr']));
  });

  it.each(pairs)('$method on $family: accepts a fixed point of the schema, or names the method', async ({ method, family }) => {
    const schema = rt.resolve(SSLMethodId, method).configSchema(rt.resolve(ArchitectureId, family));
    const owner = `SSL method '${method}'`;
    const defaults = parseConfig(owner, schema, {}) as Record<string, unknown>;
    // Each method's share of the cases: together they make one parser's count.
    await fc.assert(
      fc.asyncProperty(jsonMutations(), async (m) => {
        const input = applyJsonMutations(defaults, m);
        // 1 s catches a hang, not a scheduler's pause on a loaded machine.
        const out = await parserOutcome(() => parseConfig(owner, schema, input), {
          names: owner, timeLimitMs: 1000, allocationLimit: 1 << 16, input: describeJsonMutations(m, defaults),
        });
        if (out.ok) expect(parseConfig(owner, schema, structuredClone(out.value))).toEqual(out.value);
      }),
      { ...fuzzSettings(1 / pairs.length), endOnFailure: true },
    );
  });
});
