import type { Shape3 } from './volume.js';

/** A permutation of the three spatial axes. */
export type AxisOrder = [number, number, number];

/**
 * Permutes the spatial axes of `[C, ...shape]` row-major data: output axis `i` is input axis `perm[i]`
 * (numpy `data.transpose([0, 1 + perm[0], 1 + perm[1], 1 + perm[2]])`). The identity returns the input.
 */
export function transposeVolume<T extends Float32Array | Int8Array>(
  data: T,
  channels: number,
  shape: Shape3,
  perm: AxisOrder,
): { data: T; shape: Shape3 } {
  const newShape: Shape3 = [shape[perm[0]]!, shape[perm[1]]!, shape[perm[2]]!];
  if (perm[0] === 0 && perm[1] === 1 && perm[2] === 2) return { data, shape: newShape };
  const strides = [shape[1] * shape[2], shape[2], 1];
  const s0 = strides[perm[0]]!;
  const s1 = strides[perm[1]]!;
  const s2 = strides[perm[2]]!;
  const n = shape[0] * shape[1] * shape[2];
  const out = new (data.constructor as new (n: number) => T)(data.length);
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const base = c * n;
    for (let i = 0; i < newShape[0]; i++) {
      for (let j = 0; j < newShape[1]; j++) {
        let src = base + i * s0 + j * s1;
        for (let k = 0; k < newShape[2]; k++, src += s2) out[o++] = data[src]!;
      }
    }
  }
  return { data: out, shape: newShape };
}

/** The inverse permutation: `inverse[perm[i]] = i`. */
export function invertAxisOrder(perm: AxisOrder): AxisOrder {
  const inv: AxisOrder = [0, 0, 0];
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}
