import type { Shape3 } from '../preprocess/volume.js';
import type { CaseReader } from '../store/case-reader.js';

/** Mask value of voxels outside the image: crop padding, or outside the image's non-zero region. */
export const OUTSIDE_IMAGE = -1;

/** One crop of a case. */
export interface Patch {
  /** `[C, ...patch]`; 0 outside the volume (nnssl zero-pads). */
  data: Float32Array;
  channels: number;
  /** `[...patch]` anonymization mask: > 0 defaced; −1 outside the image; 0 everywhere inside when the case has none. */
  anon: Int8Array;
  /** `[...patch]` anatomy mask: > 0 anatomy; −1 outside the image; 0 everywhere inside when the case has none. */
  anat: Int8Array;
  hasAnon: boolean;
  hasAnat: boolean;
  /** The case's label volumes (e.g. a segmentation map), `[Cl, ...patch]`, −1 where the crop leaves the volume. */
  labels: Record<string, { data: Int32Array; channels: number }>;
}

/**
 * Reads the crop starting at `start` (may lie partly outside the volume) of image and masks; chunks are
 * decompressed concurrently on the libuv thread pool.
 * @param out destinations (`[C, ...patch]` and two `[...patch]` views, e.g. into a batch), or new arrays.
 */
export async function readPatch(
  reader: CaseReader,
  start: Shape3,
  patch: Shape3,
  out?: { data: Float32Array; anon: Int8Array; anat: Int8Array },
): Promise<Patch> {
  const C = reader.channels;
  const mask = async (r: CaseReader['anon'], dst: Int8Array | undefined) =>
    r ? ((await r.readAsync([0, ...start], [1, ...patch], OUTSIDE_IMAGE, dst)) as Int8Array) : emptyMask(reader.spatialShape, start, patch, dst);
  const label = async ([name, r]: [string, CaseReader['data']]) => {
    const channels = r.shape[0]!;
    const raw = await r.readAsync([0, ...start], [channels, ...patch], OUTSIDE_IMAGE);
    return [name, { data: raw instanceof Int32Array ? raw : Int32Array.from(raw), channels }] as const;
  };
  const [data, anon, anat, labels] = await Promise.all([
    reader.data.readAsync([0, ...start], [C, ...patch], 0, out?.data) as Promise<Float32Array>,
    mask(reader.anon, out?.anon),
    mask(reader.anat, out?.anat),
    Promise.all(Object.entries(reader.labels).map(label)),
  ]);
  return { data, channels: C, anon, anat, hasAnon: reader.anon !== null, hasAnat: reader.anat !== null, labels: Object.fromEntries(labels) };
}

/** A mask of 0 inside the volume and −1 in the padding, for a case without that mask. */
function emptyMask(shape: Shape3, start: Shape3, patch: Shape3, dst?: Int8Array): Int8Array {
  const out = dst ?? new Int8Array(patch[0] * patch[1] * patch[2]);
  for (let i = 0; i < patch[0]; i++) {
    const ii = start[0] + i;
    for (let j = 0; j < patch[1]; j++) {
      const jj = start[1] + j;
      const row = (i * patch[1] + j) * patch[2];
      for (let k = 0; k < patch[2]; k++) {
        const kk = start[2] + k;
        const inside = ii >= 0 && ii < shape[0] && jj >= 0 && jj < shape[1] && kk >= 0 && kk < shape[2];
        out[row + k] = inside ? 0 : OUTSIDE_IMAGE;
      }
    }
  }
  return out;
}
