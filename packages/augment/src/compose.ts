import type { Augmentation, Rng, Sample } from '@openmind-ssl/core';
import { checkProbability } from './probability.js';

/** One step of a {@link Compose}: a transform and the probability that it runs on a sample. */
export interface ComposeEntry {
  transform: Augmentation;
  /** Probability per sample, on top of the transform's own. Default 1. */
  p?: number;
}

/**
 * Runs transforms in order. Each step gets its own generator forked from the one passed to `apply` (and
 * decides its entry probability from it), so how many numbers one step consumes never shifts what the
 * later steps draw: the same seed gives the same pipeline output, step by step.
 */
export class Compose implements Augmentation {
  readonly name: string;
  readonly entries: readonly Required<ComposeEntry>[];

  /**
   * @param steps - transforms, optionally wrapped with a probability.
   * @throws RangeError when a probability is outside [0, 1].
   */
  constructor(steps: readonly (Augmentation | ComposeEntry)[], name = 'compose') {
    this.name = name;
    this.entries = steps.map((s, i) => {
      const entry: Required<ComposeEntry> = 'transform' in s ? { transform: s.transform, p: s.p ?? 1 } : { transform: s, p: 1 };
      checkProbability('Compose', `steps[${i}].p`, entry.p);
      return entry;
    });
  }

  apply(sample: Sample, rng: Rng): Sample {
    let current = sample;
    for (const { transform, p } of this.entries) {
      const stepRng = rng.fork();
      if (p < 1 && !(stepRng.uniform() < p)) continue;
      current = transform.apply(current, stepRng);
    }
    return current;
  }
}
