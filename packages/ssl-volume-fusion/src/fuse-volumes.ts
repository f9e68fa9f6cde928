import type { FusionBox } from './fusion-plan.js';

/** A fused pair: the network input [C, X, Y, Z], the class map and the foreground share α per voxel [X, Y, Z]. */
export interface FusedPair {
  input: Float32Array;
  classMap: Int32Array;
  alpha: Float32Array;
}

/**
 * Paints the boxes into a class map and an α map (both start at 0: class 0, pure background), then fuses
 * input = α·foreground + (1 − α)·background over every channel (nnssl `mix_batch`).
 * @param foreground, background - [C, X, Y, Z] volumes of `shape`
 */
export function fuseVolumes(
  foreground: Float32Array, background: Float32Array, shape: readonly [number, number, number, number], boxes: readonly FusionBox[], coefficients: readonly number[],
): FusedPair {
  const [C, X, Y, Z] = shape;
  const vox = X * Y * Z;
  const classMap = new Int32Array(vox);
  const alpha = new Float32Array(vox);
  for (const b of boxes) {
    const a = coefficients[b.classIndex]!;
    for (let x = b.start[0]; x < b.start[0] + b.size[0]; x++) {
      for (let y = b.start[1]; y < b.start[1] + b.size[1]; y++) {
        const row = (x * Y + y) * Z;
        classMap.fill(b.classIndex, row + b.start[2], row + b.start[2] + b.size[2]);
        alpha.fill(a, row + b.start[2], row + b.start[2] + b.size[2]);
      }
    }
  }
  const input = new Float32Array(C * vox);
  for (let c = 0; c < C; c++) {
    for (let v = 0; v < vox; v++) {
      const i = c * vox + v;
      input[i] = alpha[v]! * foreground[i]! + (1 - alpha[v]!) * background[i]!;
    }
  }
  return { input, classMap, alpha };
}
