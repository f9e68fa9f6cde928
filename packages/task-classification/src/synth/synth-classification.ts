import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';

/** Options of {@link generateClassificationDataset}. */
export interface SynthClassificationOptions {
  cases: number;
  /** Edge of the cubic volumes in voxels (1 mm). */
  size: number;
  seed: number;
}

/** The two classes: which axis the lesion is elongated along. */
export const SYNTH_CLASSES = ['anterior-posterior', 'left-right'] as const;

/**
 * Writes a balanced two-class dataset in the classification folder format: a noisy ellipsoid head (skull
 * ring, brain with a random size, position and intensity, smooth bias field) with one bright lesion
 * elongated either left–right or anterior–posterior. Both classes have lesions of the same volume and
 * contrast at random places, so the intensity histogram does not tell them apart; a network has to see
 * the lesion's shape. Labels are the class names; splits.json is not written (use --folds).
 */
export async function generateClassificationDataset(root: string, o: SynthClassificationOptions): Promise<{ labels: Map<string, string> }> {
  const rng = new Rng(o.seed);
  await mkdir(join(root, 'images'), { recursive: true });
  const s = o.size;
  const labels = new Map<string, string>();
  for (let n = 0; n < o.cases; n++) {
    const cls = n % 2;
    const id = `case_${String(n).padStart(3, '0')}`;
    const c = [0, 1, 2].map(() => s / 2 + (rng.uniform() - 0.5) * s * 0.08);
    const r = [0, 1, 2].map(() => s * (0.36 + rng.uniform() * 0.06));
    const brain = 0.8 + rng.uniform() * 0.4;
    // Lesion: half-lengths 3 × 1 × 1 (voxels) along axis 2 (left–right) or axis 1 (anterior–posterior), inside the brain.
    const half = cls === 1 ? [1.2, 1.2, 3.2] : [1.2, 3.2, 1.2];
    const l = [0, 1, 2].map((a) => c[a]! + (rng.uniform() - 0.5) * (r[a]! - half[a]! - 2) * 1.0);
    const bias = [0, 1, 2].map(() => (rng.uniform() - 0.5) * 0.3 / s);
    const data = new Float32Array(s ** 3);
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) for (let k = 0; k < s; k++) {
      const p = [i, j, k];
      const d = Math.hypot(...p.map((v, a) => (v - c[a]!) / r[a]!));
      if (d > 1.12) continue;
      let v = d > 1 ? 0.5 : brain;
      if (Math.hypot(...p.map((q, a) => (q - l[a]!) / half[a]!)) <= 1) v = brain * 1.8;
      v *= 1 + p.reduce((acc, q, a) => acc + (q - c[a]!) * bias[a]!, 0);
      data[(i * s + j) * s + k] = Math.max(0.01, v + rng.normal() * 0.08);
    }
    await writeNifti(join(root, 'images', `${id}_0000.nii.gz`), createNiftiImage(data, [s, s, s], { spacing: [1, 1, 1] }));
    labels.set(id, SYNTH_CLASSES[cls]!);
  }
  await writeFile(join(root, 'labels.csv'), ['case,label', ...[...labels].map(([id, l]) => `${id},${l}`)].join('\n') + '\n');
  return { labels };
}
