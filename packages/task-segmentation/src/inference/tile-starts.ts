import { OpenMindError } from '@openmind-ssl/core';
import type { Vec3 } from '../contract.js';

/**
 * nnU-Net's tile starts along one axis (`compute_steps_for_sliding_window`): n = ceil((L − P)/(P·step)) + 1
 * tiles, spread evenly so the first starts at 0 and the last ends at L, each start rounded to the nearest
 * integer. The axis must already be padded to at least the patch (L ≥ P).
 *
 * @param length axis length L (after padding)
 * @param patch patch length P along the axis
 * @param step tile step as a fraction of the patch, in (0, 1]; nnU-Net's default 0.5
 * @throws RangeError when L < P or the step is outside (0, 1]
 * @see finetune-spec §1.9 item 2 and the worked values in §4
 */
export function tileStarts(length: number, patch: number, step = 0.5): number[] {
  if (!(step > 0 && step <= 1)) throw new RangeError(`tileStarts: step must be in (0, 1], but got ${step}.`);
  if (length < patch) throw new RangeError(`tileStarts: the axis (${length}) must be padded to at least the patch (${patch}) first.`);
  const n = Math.ceil((length - patch) / (patch * step)) + 1;
  if (n === 1) return [0];
  const stride = (length - patch) / (n - 1);
  // Python's round() is half-to-even; a .5 stride product can occur (e.g. L − P odd with 3 tiles).
  return Array.from({ length: n }, (_, i) => roundHalfEven(stride * i));
}

/** Every tile start (z, y, x) of a padded volume, in nnU-Net's loop order (last axis fastest). */
export function tileGrid(shape: Vec3, patch: Vec3, step = 0.5): Vec3[] {
  for (let a = 0; a < 3; a++) {
    if (!Number.isInteger(patch[a]) || patch[a]! < 1) {
      throw new OpenMindError(`sliding window: the patch must be three positive integers, but got [${patch.join(', ')}].`);
    }
  }
  const [s0, s1, s2] = [0, 1, 2].map((a) => tileStarts(shape[a]!, patch[a]!, step)) as [number[], number[], number[]];
  const tiles: Vec3[] = [];
  for (const a of s0) for (const b of s1) for (const c of s2) tiles.push([a, b, c]);
  return tiles;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
