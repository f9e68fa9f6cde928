import { describe, expect, it } from 'vitest';
import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import { Rng as SeededRng } from '@openmind-ssl/core';
import { Compose } from './compose.js';

/** Records the first number it draws and consumes `extra` more. */
class Probe implements Augmentation {
  readonly name = 'probe';
  calls = 0;
  firstDraws: number[] = [];
  constructor(private readonly extra = 0) {}
  apply(sample: Sample, rng: Rng): Sample {
    this.calls++;
    this.firstDraws.push(rng.uniform());
    for (let i = 0; i < this.extra; i++) rng.uniform();
    return { ...sample, image: sample.image.map((v) => v + 1) };
  }
}

const tiny: Sample = { image: new Float32Array(1), shape: [1, 1, 1, 1] };

describe('Compose', () => {
  it('should run a step with its entry probability p ± 0.02 over 10,000 samples', () => {
    const probe = new Probe();
    const compose = new Compose([{ transform: probe, p: 0.3 }]);
    const rng = new SeededRng(81);
    for (let i = 0; i < 10_000; i++) compose.apply(tiny, rng);
    expect(Math.abs(probe.calls / 10_000 - 0.3)).toBeLessThan(0.02);
  });

  it('should run steps in order on the previous output', () => {
    const out = new Compose([new Probe(), new Probe(), { transform: new Probe(), p: 0 }]).apply(tiny, new SeededRng(1));
    expect(out.image[0]).toBe(2);
  });

  it('should give later steps the same draws whatever earlier steps consume', () => {
    const greedy = new Probe(1000);
    const frugal = new Probe(0);
    const afterGreedy = new Probe();
    const afterFrugal = new Probe();
    new Compose([greedy, afterGreedy]).apply(tiny, new SeededRng(7));
    new Compose([frugal, afterFrugal]).apply(tiny, new SeededRng(7));
    expect(afterGreedy.firstDraws).toEqual(afterFrugal.firstDraws);
  });

  it('should be deterministic for a seed and differ between seeds', () => {
    const draws = (seed: number) => {
      const probe = new Probe();
      const compose = new Compose([{ transform: probe, p: 0.5 }, probe]);
      const rng = new SeededRng(seed);
      for (let i = 0; i < 20; i++) compose.apply(tiny, rng);
      return probe.firstDraws;
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
  });

  it('should reject an entry probability outside [0, 1]', () => {
    expect(() => new Compose([{ transform: new Probe(), p: -0.1 }])).toThrow(/steps\[0\]\.p must be a probability/);
  });
});
