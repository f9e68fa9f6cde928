import { sizeOf } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { loadTorchFixtures } from './load-torch-fixtures.js';
import { KERNEL_FIXTURE_OPS, torchGoldenChecks } from './torch-golden-checks.js';

describe('loadTorchFixtures', () => {
  const fixtures = loadTorchFixtures();

  it('should load fixtures of every op the lead asked for', () => {
    const ops = new Set(fixtures.map((f) => f.op));
    expect([...ops].sort()).toEqual(['conv3d', 'convTranspose3d', 'crossEntropy', 'instanceNorm', 'interpolate', 'pool3d']);
    expect(loadTorchFixtures('crossEntropy').map((f) => f.attrs.labelSmoothing)).toContain(0.1);
    expect(loadTorchFixtures('interpolate').map((f) => f.attrs.alignCorners)).toEqual(expect.arrayContaining([true, false]));
  });

  it('should hold as many values as each shape says, with float32-exact inputs', () => {
    for (const f of fixtures) {
      const tensors = [...f.inputs, f.upstream, ...Object.values(f.outputs), ...Object.values(f.grads)];
      for (const t of tensors) expect(t.data.length, `${f.name}`).toBe(sizeOf(t.shape));
      for (const t of [...f.inputs, f.upstream]) for (const v of t.data) expect(Math.fround(v), f.name).toBe(v);
      expect(Object.keys(f.grads).length, f.name).toBeGreaterThan(0);
    }
  });

  it('should give three kernel checks per conv fixture and two per pool fixture, none for composites', () => {
    for (const f of fixtures) {
      const expected = f.op === 'pool3d' ? 2 : (KERNEL_FIXTURE_OPS as readonly string[]).includes(f.op) ? 3 : 0;
      expect(torchGoldenChecks(f), f.name).toHaveLength(expected);
    }
  });
});
