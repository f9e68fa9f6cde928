import { ANISO_THRESHOLD } from '@openmind-ssl/data';
import type { Vec3 } from '../contract.js';
import type { SegmentationFingerprint } from './fingerprint.js';

/** numpy `percentile(values, q)` with linear interpolation. */
export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = ((s.length - 1) * q) / 100;
  const lo = s[Math.floor(h)]!;
  const hi = s[Math.ceil(h)]!;
  return lo + (hi - lo) * (h - Math.floor(h));
}

/**
 * nnU-Net's 3d_fullres target spacing (`determine_fullres_target_spacing`), array-axis order: the median
 * spacing per axis; when the worst axis is more than 3× coarser than the others and its median size (after
 * cropping) more than 3× smaller, that axis takes the 10th percentile of its spacings instead (but at least
 * the largest other spacing + 1e-5).
 */
export function fullresTargetSpacing(fp: SegmentationFingerprint): Vec3 {
  const target = [0, 1, 2].map((a) => percentile(fp.spacings.map((s) => s[a]!), 50)) as Vec3;
  const size = [0, 1, 2].map((a) => percentile(fp.shapesAfterCrop.map((s) => s[a]!), 50));
  let worst = 0;
  for (let a = 1; a < 3; a++) if (target[a]! > target[worst]!) worst = a;
  const others = [0, 1, 2].filter((a) => a !== worst);
  const maxOtherSpacing = Math.max(...others.map((a) => target[a]!));
  const minOtherSize = Math.min(...others.map((a) => size[a]!));
  if (target[worst]! > ANISO_THRESHOLD * maxOtherSpacing && size[worst]! * ANISO_THRESHOLD < minOtherSize) {
    let t = percentile(fp.spacings.map((s) => s[worst]!), 10);
    if (t < maxOtherSpacing) t = Math.max(maxOtherSpacing, t) + 1e-5;
    target[worst] = t;
  }
  return target;
}

/** nnU-Net's `transpose_forward`: the axis of the largest target spacing first, the others in order. */
export function transposeForward(targetSpacing: Vec3): Vec3 {
  let worst = 0;
  for (let a = 1; a < 3; a++) if (targetSpacing[a]! > targetSpacing[worst]!) worst = a;
  return [worst, ...[0, 1, 2].filter((a) => a !== worst)] as Vec3;
}
