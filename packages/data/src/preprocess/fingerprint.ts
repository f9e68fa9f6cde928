import { readNiftiHeader } from '../nifti/read-nifti.js';
import { arrayGeometry } from './load-case-input.js';
import type { PreprocessInputCase } from './preprocess-input.js';
import type { Shape3 } from './volume.js';

/** Voxel spacings of a dataset (nnssl `dataset_fingerprint.json` is `{spacings}`; the file also gets `ids` and the unreadable images). */
export interface Fingerprint {
  /** Spacing of each readable image in array-axis order (reversed NIfTI axes, as SimpleITK reports). */
  spacings: Shape3[];
  /** Id of the image each spacing belongs to. */
  ids: string[];
}

/**
 * Reads the header of every image (not the voxels) and collects its spacing. Images whose header cannot
 * be read are returned in `failed` and left out of the fingerprint.
 * @param concurrency headers read at once (I/O bound).
 */
export async function extractFingerprint(
  cases: readonly PreprocessInputCase[],
  concurrency = 8,
): Promise<{ fingerprint: Fingerprint; failed: { id: string; error: string }[] }> {
  const spacing: (Shape3 | null)[] = new Array(cases.length).fill(null);
  const errors: (string | null)[] = new Array(cases.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      try {
        const info = await readNiftiHeader(c.imagePath);
        spacing[i] = arrayGeometry(info.shape, info.spacing, c.imagePath).spacing;
      } catch (err) {
        errors[i] = err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, cases.length)) }, worker));
  const fingerprint: Fingerprint = { spacings: [], ids: [] };
  const failed: { id: string; error: string }[] = [];
  cases.forEach((c, i) => {
    if (spacing[i]) {
      fingerprint.spacings.push(spacing[i]!);
      fingerprint.ids.push(c.id);
    } else {
      failed.push({ id: c.id, error: errors[i] ?? 'unknown error' });
    }
  });
  return { fingerprint, failed };
}
