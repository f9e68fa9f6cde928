import type { Vec3 } from '../contract.js';

/** Padding of one axis: voxels added below and above. */
export type AxisPadding = [number, number];

/**
 * acvl_utils `pad_nd_image` to at least the patch: an axis shorter than the patch gets diff // 2 zeros
 * below and diff // 2 + diff % 2 above; longer axes are left alone.
 */
export function paddingToPatch(shape: Vec3, patch: Vec3): [AxisPadding, AxisPadding, AxisPadding] {
  return shape.map((s, a) => {
    const diff = Math.max(0, patch[a]! - s);
    return [Math.floor(diff / 2), Math.floor(diff / 2) + (diff % 2)];
  }) as [AxisPadding, AxisPadding, AxisPadding];
}

/** Pads `[C, ...shape]` row-major data with zeros; returns the input itself when nothing is padded. */
export function padVolume(data: Float32Array, channels: number, shape: Vec3, pads: readonly AxisPadding[]): { data: Float32Array; shape: Vec3 } {
  const out: Vec3 = [0, 1, 2].map((a) => shape[a]! + pads[a]![0] + pads[a]![1]) as Vec3;
  if (out.every((s, a) => s === shape[a])) return { data, shape };
  const padded = new Float32Array(channels * out[0] * out[1] * out[2]);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < shape[0]; i++) {
      for (let j = 0; j < shape[1]; j++) {
        const src = ((c * shape[0] + i) * shape[1] + j) * shape[2];
        const dst = ((c * out[0] + i + pads[0]![0]) * out[1] + j + pads[1]![0]) * out[2] + pads[2]![0];
        padded.set(data.subarray(src, src + shape[2]), dst);
      }
    }
  }
  return { data: padded, shape: out };
}

/** The inverse of {@link padVolume}: the `[C, ...shape]` region of padded `[C, ...paddedShape]` data. */
export function unpadVolume(data: Float32Array, channels: number, paddedShape: Vec3, pads: readonly AxisPadding[]): { data: Float32Array; shape: Vec3 } {
  const shape: Vec3 = [0, 1, 2].map((a) => paddedShape[a]! - pads[a]![0] - pads[a]![1]) as Vec3;
  if (shape.every((s, a) => s === paddedShape[a])) return { data, shape };
  const out = new Float32Array(channels * shape[0] * shape[1] * shape[2]);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < shape[0]; i++) {
      for (let j = 0; j < shape[1]; j++) {
        const src = ((c * paddedShape[0] + i + pads[0]![0]) * paddedShape[1] + j + pads[1]![0]) * paddedShape[2] + pads[2]![0];
        const dst = ((c * shape[0] + i) * shape[1] + j) * shape[2];
        out.set(data.subarray(src, src + shape[2]), dst);
      }
    }
  }
  return { data: out, shape };
}
