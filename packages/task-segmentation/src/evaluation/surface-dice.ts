import { squaredDistanceTransform } from './distance-transform.js';

type Vec3 = readonly [number, number, number];

/**
 * The surface of a binary mask: mask voxels with at least one of their 6 face neighbours outside the mask;
 * a neighbour beyond the volume's edge counts as outside, so a mask touching the edge has a surface there
 * (`mask & ~binary_erosion(mask, 6-connectivity, border_value=0)`).
 */
export function maskSurface(mask: Uint8Array, shape: Vec3): Uint8Array {
  const [D, H, W] = shape;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < H; j++) {
      for (let k = 0; k < W; k++) {
        const v = (i * H + j) * W + k;
        if (!mask[v]) continue;
        const inside = i > 0 && i < D - 1 && j > 0 && j < H - 1 && k > 0 && k < W - 1
          && mask[v - H * W] && mask[v + H * W] && mask[v - W] && mask[v + W] && mask[v - 1] && mask[v + 1];
        if (!inside) out[v] = 1;
      }
    }
  }
  return out;
}

/**
 * Normalised surface Dice at tolerance τ: the fraction of surface voxels of either mask that lie within τ mm
 * (exact Euclidean distance with the voxel spacing) of the other mask's surface,
 * (|{s ∈ S_ref : d(s, S_pred) ≤ τ}| + |{s ∈ S_pred : d(s, S_ref) ≤ τ}|) / (|S_ref| + |S_pred|).
 * Surfaces are voxel sets ({@link maskSurface}), each voxel weighing 1; both empty gives 1, one empty 0.
 *
 * Distances are computed inside the bounding box of both surfaces: every feature voxel lies in it, so the
 * transform is exact there.
 *
 * @param ref, pred `[D, H, W]` row-major binary masks.
 * @param spacing mm per voxel of each axis.
 */
export function normalizedSurfaceDice(ref: Uint8Array, pred: Uint8Array, shape: Vec3, spacing: Vec3, tolerance = 1): number {
  const sRef = maskSurface(ref, shape);
  const sPred = maskSurface(pred, shape);
  const box = boundingBox(sRef, sPred, shape);
  if (!box) return 1;
  const sub: [number, number, number] = [box[1][0] - box[0][0], box[1][1] - box[0][1], box[1][2] - box[0][2]];
  const cRef = crop(sRef, shape, box[0], sub);
  const cPred = crop(sPred, shape, box[0], sub);
  let nRef = 0;
  let nPred = 0;
  for (let i = 0; i < cRef.length; i++) {
    nRef += cRef[i]!;
    nPred += cPred[i]!;
  }
  if (nRef === 0 || nPred === 0) return 0;
  const toRef = squaredDistanceTransform(cRef, sub, spacing);
  const toPred = squaredDistanceTransform(cPred, sub, spacing);
  const t2 = tolerance * tolerance;
  let hits = 0;
  for (let i = 0; i < cRef.length; i++) {
    if (cRef[i] && toPred[i]! <= t2) hits++;
    if (cPred[i] && toRef[i]! <= t2) hits++;
  }
  return hits / (nRef + nPred);
}

/** [start, end) of the voxels set in either mask, or null when both are empty. */
function boundingBox(a: Uint8Array, b: Uint8Array, shape: Vec3): [[number, number, number], [number, number, number]] | null {
  const [D, H, W] = shape;
  const lo = [D, H, W];
  const hi = [0, 0, 0];
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < H; j++) {
      for (let k = 0; k < W; k++) {
        const v = (i * H + j) * W + k;
        if (!a[v] && !b[v]) continue;
        lo[0] = Math.min(lo[0]!, i); lo[1] = Math.min(lo[1]!, j); lo[2] = Math.min(lo[2]!, k);
        hi[0] = Math.max(hi[0]!, i + 1); hi[1] = Math.max(hi[1]!, j + 1); hi[2] = Math.max(hi[2]!, k + 1);
      }
    }
  }
  if (hi[0] === 0) return null;
  return [lo as [number, number, number], hi as [number, number, number]];
}

function crop(x: Uint8Array, shape: Vec3, start: readonly number[], size: readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(size[0] * size[1] * size[2]);
  for (let i = 0; i < size[0]; i++) {
    for (let j = 0; j < size[1]; j++) {
      const src = ((start[0]! + i) * shape[1] + start[1]! + j) * shape[2] + start[2]!;
      out.set(x.subarray(src, src + size[2]), (i * size[1] + j) * size[2]);
    }
  }
  return out;
}
