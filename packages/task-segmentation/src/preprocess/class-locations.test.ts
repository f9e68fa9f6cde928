import { Rng } from '@openmind-ssl/core';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { sampleClassLocations } from './class-locations.js';

const hasNumpy = requirePython(['numpy']);

/** nnU-Net's `_sample_foreground_locations` for label maps, written out for numpy (not nnU-Net's code). */
const NNUNET_SAMPLER = `
import json, sys, math, numpy as np
d = json.loads(sys.stdin.read())
seg = np.array(d['seg'])
rs = np.random.RandomState(1234)
coords = np.argwhere(seg != 0)[:, 0]
vals = seg[seg != 0]
out = {}
for c in d['classes']:
    locs = coords[vals == c]
    if len(locs) == 0:
        out[str(c)] = []
        continue
    k = max(min(10000, len(locs)), int(np.ceil(len(locs) * 0.01)))
    out[str(c)] = locs[rs.choice(len(locs), k, replace=False)].tolist()
print(json.dumps(out))
`;

function randomLabel(n: number, seed: number): Int8Array {
  const rng = new Rng(seed);
  return Int8Array.from({ length: n }, () => {
    const u = rng.uniform();
    return u < 0.3 ? 0 : u < 0.4 ? -1 : u < 0.97 ? 1 : u < 0.99 ? 3 : 0;
  });
}

describe('sampleClassLocations', () => {
  it('should take min(10000, n) voxels but at least ceil(1 % n), each of its class, an absent class empty', () => {
    const label = randomLabel(30_000, 3);
    const { classLocations, annotatedLocations } = sampleClassLocations(label, [1, 2, 3], null);
    const n1 = label.filter((v) => v === 1).length;
    const n3 = label.filter((v) => v === 3).length;
    expect(n1).toBeGreaterThan(10_000);
    expect(classLocations.get(1)!.length).toBe(10_000);
    expect(classLocations.get(3)!.length).toBe(n3);
    expect(classLocations.get(2)!.length).toBe(0);
    expect(new Set(classLocations.get(1)).size).toBe(10_000);
    for (const [c, locs] of classLocations) expect(locs.every((i) => label[i] === c)).toBe(true);
    expect(annotatedLocations).toBeNull();
    // Over 1e6 voxels of one class, the 1 % floor wins over 10 000.
    const big = new Int8Array(1_200_000).fill(1);
    expect(sampleClassLocations(big, [1], null).classLocations.get(1)!.length).toBe(12_000);
  });

  it('should draw annotated voxels (labelled, not ignored, not outside) when there is an ignore label', () => {
    const label = Int8Array.from([-1, 0, 0, 2, 1, 2, 0, -1]);
    const { annotatedLocations } = sampleClassLocations(label, [1], 2);
    expect([...annotatedLocations!].sort()).toEqual([1, 2, 4, 6]);
  });

  it.skipIf(!hasNumpy)('should pick exactly the voxels nnU-Net picks (numpy RandomState(1234))', () => {
    const label = randomLabel(40_000, 9);
    const expected = JSON.parse(runPython(['-c', NNUNET_SAMPLER], JSON.stringify({ seg: Array.from(label), classes: [1, 2, 3] }))) as Record<string, number[]>;
    const { classLocations } = sampleClassLocations(label, [3, 1, 2], null);
    for (const c of [1, 2, 3]) expect(Array.from(classLocations.get(c)!)).toEqual(expected[String(c)]);
  });
});
