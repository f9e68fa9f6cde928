import { OpenMindError } from '@openmind-ssl/core';
import { arrayGeometry, readNifti, type NiftiImage } from '@openmind-ssl/data';
import type { Vec3 } from '../contract.js';
import type { RawCaseFiles, SegmentationDataset } from './open-dataset.js';

/**
 * One raw case in memory, in array-axis order: the NIfTI axes reversed (`[k, j, i]`), as nnU-Net's
 * SimpleITK reader hands volumes over and as @openmind-ssl/data preprocesses them.
 */
export interface RawSegmentationCase {
  id: string;
  /** [C, d0, d1, d2] float32, channels in dataset.json order. */
  image: Float32Array;
  shape: [number, number, number, number];
  /** [d0, d1, d2] label values (as declared in dataset.json), or null for an unlabelled (inference) case. */
  label: Int8Array | null;
  /** Spacing in mm of [d0, d1, d2]. */
  spacing: Vec3;
  /** The channel-0 file's voxel-to-world affine (4×4, row-major). */
  affine: number[][];
  /** Spatial shape in the file (NIfTI i, j, k). */
  fileShape: Vec3;
}

/** Largest difference allowed between the affines of files on one grid, in mm (or direction cosine units). */
export const GRID_TOLERANCE = 1e-4;

function sameGrid(a: NiftiImage, b: NiftiImage): boolean {
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      const x = a.affine[r]![c]!;
      const y = b.affine[r]![c]!;
      if (Math.abs(x - y) > GRID_TOLERANCE * Math.max(1, Math.abs(x))) return false;
    }
  }
  return true;
}

function formatAffine(a: number[][]): string {
  return `[${a.slice(0, 3).map((row) => `[${row.map((v) => Number(v.toFixed(4))).join(', ')}]`).join(', ')}]`;
}

/**
 * Reads the channel files of a case (and its label file, when `files.label` is set) and checks them: every
 * channel 3-D and on channel 0's grid (shape and affine), the label on the same grid, every label value an
 * integer declared in dataset.json (`allowedLabels`), no NaN/Inf voxels.
 * @throws OpenMindError naming the case and the offending file.
 */
export async function loadCaseFiles(
  files: { id: string; images: readonly string[]; label?: string | null },
  allowedLabels?: readonly number[],
): Promise<RawSegmentationCase> {
  const { id } = files;
  if (files.images.length === 0) throw new OpenMindError(`case "${id}": at least one channel file must be given, but there are none.`);
  let first: NiftiImage | null = null;
  let spatial: Vec3 = [0, 0, 0];
  let spacing: Vec3 = [0, 0, 0];
  let image = new Float32Array(0);
  for (const [c, file] of files.images.entries()) {
    const img = await readNifti(file);
    const g = arrayGeometry(img.shape, img.spacing, file);
    if (g.channels !== 1) {
      throw new OpenMindError(`case "${id}": channel file "${file}" must be a 3-D volume (one file per channel, nnU-Net's _XXXX suffix), but it has shape [${img.shape.join(', ')}].`);
    }
    if (!first) {
      first = img;
      spatial = g.spatial;
      spacing = g.spacing;
      image = new Float32Array(files.images.length * spatial[0] * spatial[1] * spatial[2]);
    } else {
      if (g.spatial.some((s, i) => s !== spatial[i])) {
        throw new OpenMindError(`case "${id}": channel file "${file}" must have channel 0's shape [${[...first.shape].slice(0, 3).join(', ')}], but got [${img.shape.join(', ')}].`);
      }
      if (!sameGrid(first, img)) {
        throw new OpenMindError(`case "${id}": channel file "${file}" must have channel 0's affine ${formatAffine(first.affine)}, but got ${formatAffine(img.affine)}.`);
      }
    }
    const n = spatial[0] * spatial[1] * spatial[2];
    image.set(img.data instanceof Float32Array ? img.data : Float32Array.from(img.data), c * n);
  }
  const head = first!;
  let label: Int8Array | null = null;
  if (files.label) {
    const file = files.label;
    const seg = await readNifti(file);
    const g = arrayGeometry(seg.shape, seg.spacing, file);
    if (g.channels !== 1 || g.spatial.some((s, i) => s !== spatial[i])) {
      throw new OpenMindError(`case "${id}": label file "${file}" must be on the image's grid, shape [${head.shape.slice(0, 3).join(', ')}], but got shape [${seg.shape.join(', ')}].`);
    }
    if (!sameGrid(head, seg)) {
      throw new OpenMindError(`case "${id}": label file "${file}" must be on the image's grid, affine ${formatAffine(head.affine)}, but got ${formatAffine(seg.affine)}.`);
    }
    const allowed = new Set(allowedLabels ?? []);
    label = new Int8Array(seg.data.length);
    for (let i = 0; i < seg.data.length; i++) {
      const v = seg.data[i]!;
      if (!allowed.has(v)) {
        throw new OpenMindError(
          `case "${id}": label file "${file}" must hold only the label values declared in dataset.json (${[...allowed].sort((a, b) => a - b).join(', ')}), but voxel ${i} is ${v}.`,
        );
      }
      label[i] = v;
    }
  }
  return {
    id,
    image,
    shape: [files.images.length, ...spatial],
    label,
    spacing,
    affine: head.affine.map((row) => [...row]),
    fileShape: [head.shape[0]!, head.shape[1]!, head.shape[2]!],
  };
}

/** Reads and checks one labelled case of `dataset` by id. @throws OpenMindError for an unknown id or bad files. */
export async function loadRawCase(dataset: SegmentationDataset, id: string): Promise<RawSegmentationCase> {
  const files: RawCaseFiles | undefined = dataset.cases.find((c) => c.id === id);
  if (!files) throw new OpenMindError(`dataset "${dataset.dir}": no case "${id}". Cases: ${dataset.cases.slice(0, 5).map((c) => c.id).join(', ')}${dataset.cases.length > 5 ? ', …' : ''}.`);
  return loadCaseFiles(files, Object.values(dataset.json.labels));
}
