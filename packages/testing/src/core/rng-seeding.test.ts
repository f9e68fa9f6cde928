import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';

// Seed tuples such as [seed, step] used to become the raw xoshiro128** state; such a state is mostly zero
// bits, and the first draws of every step sat near 0 (Models Genesis' fixed evaluation corruptions were
// all "flip 3×, shuffle, Bézier, inverted, in-paint"). The tuple is now hashed into the state.
describe('Rng seeding', () => {
  it('should give uniform first draws for small seed tuples (1,000 tuples [77, i]: mean 0.5 ± 0.03, no value under 1e-4 more than chance)', () => {
    const first = Array.from({ length: 1000 }, (_, i) => new Rng([77, i]).uniform());
    expect(Math.abs(first.reduce((a, b) => a + b, 0) / 1000 - 0.5)).toBeLessThan(0.03);
    expect(first.filter((u) => u < 1e-4).length).toBeLessThan(5);
    expect(first.filter((u) => u < 0.5).length / 1000).toBeGreaterThan(0.45);
  });

  it('should give different streams for tuples that differ in any element, and the same for equal tuples', () => {
    const draw = (seed: number[]) => { const r = new Rng(seed); return [r.nextUint32(), r.nextUint32()]; };
    expect(draw([1, 2, 3, 4])).toEqual(draw([1, 2, 3, 4]));
    for (const other of [[1, 2, 3, 5], [2, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4, 0]]) expect(draw(other)).not.toEqual(draw([1, 2, 3, 4]));
  });

  it('should continue a saved state exactly with fromState, and keep fork() streams', () => {
    const a = new Rng(5);
    a.uniform();
    const b = Rng.fromState(a.state());
    expect([b.nextUint32(), b.nextUint32()]).toEqual([a.nextUint32(), a.nextUint32()]);
    const parent = new Rng(9);
    const words = Rng.fromState(parent.state());
    const expected = Rng.fromState([words.nextUint32(), words.nextUint32(), words.nextUint32(), words.nextUint32()]);
    expect(parent.fork().nextUint32()).toBe(expected.nextUint32());
  });
});
