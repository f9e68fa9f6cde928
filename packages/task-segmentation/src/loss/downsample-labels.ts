import { OpenMindError } from '@openmind-ssl/core';

/**
 * A label map at a lower resolution, as batchgeneratorsv2's DownsampleSegForDSTransform makes the
 * deep-supervision targets: PyTorch's `interpolate(mode='nearest-exact')` to round(shape · scale), i.e.
 * output voxel o takes input voxel min(floor((o + 0.5) · in/out), in − 1) per axis. Labels are never mixed.
 * @param labels [B, C, D, H, W] row-major label values
 * @param shape [B, C, D, H, W]
 * @param scale per spatial axis, e.g. [0.5, 0.5, 0.5]
 * @returns the labels and their shape
 */
export function downsampleLabels(
  labels: Int16Array | Int32Array,
  shape: readonly [number, number, number, number, number],
  scale: readonly [number, number, number],
): { data: Int32Array; shape: [number, number, number, number, number] } {
  const [b, c, ...spatial] = shape;
  const out = spatial.map((s, i) => Math.round(s * scale[i]!)) as [number, number, number];
  if (out.some((s) => s < 1)) throw new OpenMindError(`downsampleLabels: scale [${scale.join(', ')}] of shape [${shape.join(', ')}] leaves an empty axis.`);
  const pick = out.map((o, axis) => Int32Array.from({ length: o }, (_, i) => Math.min(Math.floor(((i + 0.5) * spatial[axis]!) / o), spatial[axis]! - 1)));
  const [d, h, w] = spatial as [number, number, number];
  const [od, oh, ow] = out;
  const data = new Int32Array(b * c * od * oh * ow);
  let k = 0;
  for (let n = 0; n < b * c; n++) {
    const base = n * d * h * w;
    for (let z = 0; z < od; z++) {
      const zz = base + pick[0]![z]! * h * w;
      for (let y = 0; y < oh; y++) {
        const yy = zz + pick[1]![y]! * w;
        for (let x = 0; x < ow; x++) data[k++] = labels[yy + pick[2]![x]!]!;
      }
    }
  }
  return { data, shape: [b, c, od, oh, ow] };
}
