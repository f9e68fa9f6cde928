import { cropVolume } from '@openmind-ssl/augment';
import type { SegmentationCase, Vec3 } from '../contract.js';

/** Image padding value and label padding value of nnU-Net's loader. */
export const IMAGE_PAD = 0;
export const LABEL_PAD = -1;

// augment's crop is typed for Int32/Uint8 labels: widen each case's Int16 map once, not per patch.
const wide = new WeakMap<Int16Array, Int32Array>();
function widened(label: Int16Array): Int32Array {
  let w = wide.get(label);
  if (!w) {
    w = Int32Array.from(label);
    wide.set(label, w);
  }
  return w;
}

/**
 * Cuts the box [start, start + size) out of a case; parts outside the case are padded with 0 (image) and
 * −1 (label), as nnU-Net's loader pads.
 * @returns image [C, ...size] float32 and label [1, ...size] int32.
 */
export function extractPatch(c: SegmentationCase, start: Vec3, size: Vec3): { image: Float32Array; label: Int32Array } {
  const [C, D, H, W] = c.shape;
  const image = cropVolume(c.image, [C, D, H, W], start, size, IMAGE_PAD);
  const label = cropVolume(widened(c.label), [1, D, H, W], start, size, LABEL_PAD);
  return { image, label };
}
