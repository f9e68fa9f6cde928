import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { type NiftiImage, readNifti } from '@openmind-ssl/data';
import { PNG } from 'pngjs';

/** Contour colours: the reference, the prediction, and both on the same pixel. */
export const CONTOUR_COLOURS = { reference: [0, 255, 0], prediction: [255, 0, 0], both: [255, 255, 0] } as const;

/** One validation case to draw: its raw image (first channel), reference label map and prediction, on one grid. */
export interface SliceCase {
  id: string;
  image: string;
  reference: string;
  prediction: string;
}

/** What {@link writeValidationSlices} drew for a case. */
export interface ValidationSlice {
  id: string;
  /** PNG file name inside the report folder. */
  file: string;
  /** The NIfTI axis (0 = i, 1 = j, 2 = k) nearest the superior–inferior direction, and the slice index along it. */
  axis: number;
  index: number;
  /** Voxels of the largest connected reference lesion (0 when the reference is empty and the prediction's was used). */
  lesionVoxels: number;
  width: number;
  height: number;
}

/** A 2-D slice for display: row-major [height, width] values and how display pixels map to voxels. */
export interface DisplaySlice {
  width: number;
  height: number;
  /** Display pixels per voxel along the columns and the rows (from the spacing, so the aspect is right). */
  zoom: [number, number];
}

/**
 * The largest 6-connected component of `mask` in a volume of `shape` (x fastest, NIfTI order); null for
 * an empty mask. Returns the flat indices of its voxels.
 */
export function largestComponent(mask: Uint8Array, shape: readonly [number, number, number]): Uint32Array | null {
  const [X, Y, Z] = shape;
  const seen = new Uint8Array(mask.length);
  const queue = new Uint32Array(mask.length);
  let best: Uint32Array | null = null;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
      const v = queue[head++]!;
      const x = v % X;
      const y = Math.floor(v / X) % Y;
      const z = Math.floor(v / (X * Y));
      const visit = (n: number) => {
        if (mask[n] && !seen[n]) {
          seen[n] = 1;
          queue[tail++] = n;
        }
      };
      if (x > 0) visit(v - 1);
      if (x < X - 1) visit(v + 1);
      if (y > 0) visit(v - X);
      if (y < Y - 1) visit(v + X);
      if (z > 0) visit(v - X * Y);
      if (z < Z - 1) visit(v + X * Y);
    }
    if (!best || tail > best.length) best = queue.slice(0, tail);
  }
  return best;
}

/** The NIfTI axis whose direction is nearest the world's superior–inferior axis: its slices are axial. */
export function axialAxis(affine: readonly (readonly number[])[]): 0 | 1 | 2 {
  const z = [0, 1, 2].map((a) => Math.abs(affine[2]![a]! / Math.hypot(affine[0]![a]!, affine[1]![a]!, affine[2]![a]!)));
  return z.indexOf(Math.max(...z)) as 0 | 1 | 2;
}

/**
 * How an axial slice is laid out on screen, radiologically: columns along the in-plane axis nearest
 * left–right with the patient's right on the left, rows along the other with anterior at the top; each
 * voxel drawn as zoom[0] × zoom[1] pixels, zoomed by the spacing so the aspect is true and the longer
 * side is about `target` pixels. Returns the display size and, per display pixel, its voxel's flat index.
 */
export function axialLayout(image: Pick<NiftiImage, 'shape' | 'affine' | 'spacing'>, axis: number, index: number, target = 256): DisplaySlice & { voxelOf: Int32Array } {
  const shape = image.shape.slice(0, 3) as [number, number, number];
  const inPlane = [0, 1, 2].filter((a) => a !== axis);
  const lr = (a: number) => Math.abs(image.affine[0]![a]!);
  const [colAxis, rowAxis] = lr(inPlane[0]!) >= lr(inPlane[1]!) ? [inPlane[0]!, inPlane[1]!] : [inPlane[1]!, inPlane[0]!];
  const spacing = image.spacing.slice(0, 3);
  const finest = Math.min(spacing[colAxis]!, spacing[rowAxis]!);
  const extent = Math.max(shape[colAxis]! * spacing[colAxis]!, shape[rowAxis]! * spacing[rowAxis]!) / finest;
  const base = Math.max(1, Math.round(target / extent));
  const zoom: [number, number] = [Math.max(1, Math.round((base * spacing[colAxis]!) / finest)), Math.max(1, Math.round((base * spacing[rowAxis]!) / finest))];
  const width = shape[colAxis]! * zoom[0];
  const height = shape[rowAxis]! * zoom[1];
  // Patient's right (+x) on the viewer's left; anterior (+y) at the top.
  const flipCol = image.affine[0]![colAxis]! > 0;
  const flipRow = image.affine[1]![rowAxis]! > 0;
  const stride = [1, shape[0], shape[0] * shape[1]];
  const voxelOf = new Int32Array(width * height);
  for (let r = 0; r < height; r++) {
    let ri = Math.floor(r / zoom[1]);
    if (flipRow) ri = shape[rowAxis]! - 1 - ri;
    for (let c = 0; c < width; c++) {
      let ci = Math.floor(c / zoom[0]);
      if (flipCol) ci = shape[colAxis]! - 1 - ci;
      voxelOf[r * width + c] = index * stride[axis]! + ri * stride[rowAxis]! + ci * stride[colAxis]!;
    }
  }
  return { width, height, zoom, voxelOf };
}

/**
 * Contour pixels of a label map on the display grid: a pixel of a foreground class (not `ignore`) with a
 * 4-neighbour of another value or off the picture. Each class is outlined, so touching classes keep the
 * line between them.
 */
export function contourPixels(labels: ArrayLike<number>, voxelOf: Int32Array, width: number, height: number, ignore: number | null): Uint8Array {
  const out = new Uint8Array(width * height);
  const at = (r: number, c: number) => Number(labels[voxelOf[r * width + c]!]);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = at(r, c);
      if (v === 0 || v === ignore) continue;
      const edge = r === 0 || c === 0 || r === height - 1 || c === width - 1
        || at(r - 1, c) !== v || at(r + 1, c) !== v || at(r, c - 1) !== v || at(r, c + 1) !== v;
      if (edge) out[r * width + c] = 1;
    }
  }
  return out;
}

/**
 * An axial slice as an RGB PNG: the image in grey (1st–99th percentile of the slice), the reference's
 * contours in green, the prediction's in red, yellow where they coincide.
 */
export function contourSlicePng(image: ArrayLike<number>, reference: ArrayLike<number>, prediction: ArrayLike<number>, layout: ReturnType<typeof axialLayout>, ignore: number | null): Buffer {
  const { width, height, voxelOf } = layout;
  const grey = Float32Array.from(voxelOf, (v) => Number(image[v]));
  const sorted = Float32Array.from(grey).sort();
  const lo = sorted[Math.floor(0.01 * (sorted.length - 1))]!;
  const hi = sorted[Math.floor(0.99 * (sorted.length - 1))]!;
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const ref = contourPixels(reference, voxelOf, width, height, ignore);
  const pred = contourPixels(prediction, voxelOf, width, height, ignore);
  const png = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) {
    const g = Math.max(0, Math.min(255, Math.round((grey[p]! - lo) * scale)));
    const rgb = ref[p] && pred[p] ? CONTOUR_COLOURS.both : ref[p] ? CONTOUR_COLOURS.reference : pred[p] ? CONTOUR_COLOURS.prediction : [g, g, g];
    png.data.set([rgb[0], rgb[1], rgb[2], 255], p * 4);
  }
  return PNG.sync.write(png);
}

/** The axial slice with the most voxels of the largest reference lesion (else the prediction's; else the middle). */
export function lesionSlice(reference: NiftiImage, prediction: NiftiImage, ignore: number | null): { axis: 0 | 1 | 2; index: number; lesionVoxels: number } {
  const shape = reference.shape.slice(0, 3) as [number, number, number];
  const axis = axialAxis(reference.affine);
  const fg = (data: ArrayLike<number>) => Uint8Array.from({ length: shape[0] * shape[1] * shape[2] }, (_, i) => {
    const v = Number(data[i]);
    return v !== 0 && v !== ignore ? 1 : 0;
  });
  const fromReference = largestComponent(fg(reference.data), shape);
  const component = fromReference ?? largestComponent(fg(prediction.data), shape);
  if (!component) return { axis, index: Math.floor(shape[axis] / 2), lesionVoxels: 0 };
  const counts = new Uint32Array(shape[axis]);
  const stride = [1, shape[0], shape[0] * shape[1]][axis]!;
  for (const v of component) counts[Math.floor(v / stride) % shape[axis]]!++;
  return { axis, index: counts.indexOf(Math.max(...counts)), lesionVoxels: fromReference ? component.length : 0 };
}

/**
 * Draws one axial slice per case through its largest reference lesion, with the reference and predicted
 * contours, into `reportDir/validation-<case>.png`. The three files of a case must share one grid.
 */
export async function writeValidationSlices(reportDir: string, cases: readonly SliceCase[], ignore: number | null): Promise<ValidationSlice[]> {
  const out: ValidationSlice[] = [];
  for (const c of cases) {
    const [image, reference, prediction] = await Promise.all([readNifti(c.image), readNifti(c.reference), readNifti(c.prediction)]);
    const shape = reference.shape.slice(0, 3).join('×');
    for (const [what, img] of [['image', image], ['prediction', prediction]] as const) {
      if (img.shape.slice(0, 3).join('×') !== shape) {
        throw new OpenMindError(`validation slices: ${what === 'image' ? c.image : c.prediction} has shape ${img.shape.slice(0, 3).join('×')}, but the reference ${c.reference} has ${shape}.`);
      }
    }
    const { axis, index, lesionVoxels } = lesionSlice(reference, prediction, ignore);
    const layout = axialLayout(reference, axis, index);
    const file = `validation-${c.id}.png`;
    await writeFile(join(reportDir, file), contourSlicePng(image.data, reference.data, prediction.data, layout, ignore));
    out.push({ id: c.id, file, axis, index, lesionVoxels, width: layout.width, height: layout.height });
  }
  return out;
}
