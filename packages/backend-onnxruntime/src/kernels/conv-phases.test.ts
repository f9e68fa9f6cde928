import { windowOutputSize } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { axisPhases } from './conv-phases.js';

/** Every (dx index, dy index, tap) triple a phase plan reads, from the plan. */
function planned(size: number, outSize: number, k: number, s: number, p: number, dil: number): string[] {
  const out: string[] = [];
  axisPhases(size, k, s, p, dil).forEach((ph, r) => {
    for (let m = 0; m < ph.count; m++) {
      ph.taps.forEach((t, j) => {
        const o = m + ph.start + j * ph.dilation;
        if (o >= 0 && o < outSize) out.push(`${m * s + r}:${o}:${t}`);
      });
    }
  });
  return out.sort();
}

/** The same triples straight from the definition: dx[i] gets w[t]·dy[o] when o·s + t·dil − p = i. */
function bruteForce(size: number, outSize: number, k: number, s: number, p: number, dil: number): string[] {
  const out: string[] = [];
  for (let o = 0; o < outSize; o++) {
    for (let t = 0; t < k; t++) {
      const i = o * s + t * dil - p;
      if (i >= 0 && i < size) out.push(`${i}:${o}:${t}`);
    }
  }
  return out.sort();
}

describe('axisPhases', () => {
  const cases: [number, number, number, number, number][] = [];
  for (const size of [5, 8, 9]) for (const k of [1, 2, 3, 5]) for (const s of [1, 2, 3]) for (const p of [0, 1, 2]) for (const dil of [1, 2]) cases.push([size, k, s, p, dil]);

  it('should read exactly the (dx, dy, tap) triples of the definition for every attribute combination', () => {
    for (const [size, k, s, p, dil] of cases) {
      const outSize = windowOutputSize(size, k, s, p, dil);
      if (outSize < 1) continue;
      expect(planned(size, outSize, k, s, p, dil), `size ${size} k ${k} s ${s} p ${p} dil ${dil}`).toEqual(bruteForce(size, outSize, k, s, p, dil));
    }
  });

  it('should make stride 1 a single phase with the flipped kernel', () => {
    expect(axisPhases(8, 3, 1, 1, 1)).toEqual([{ taps: [2, 1, 0], dilation: 1, start: -1, count: 8 }]);
  });
});
