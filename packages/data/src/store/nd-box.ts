/** Rank used internally: every array is handled as 4-D with leading singleton axes. */
export const RANK = 4;

/** Left-pads a shape or index with `fill` to {@link RANK} entries. */
export function to4d(v: readonly number[], fill: number): [number, number, number, number] {
  const out = [...Array.from({ length: RANK - v.length }, () => fill), ...v];
  return [out[0]!, out[1]!, out[2]!, out[3]!];
}

/** Row-major strides of a 4-D shape. */
export function strides4(s: readonly number[]): [number, number, number, number] {
  return [s[1]! * s[2]! * s[3]!, s[2]! * s[3]!, s[3]!, 1];
}

/**
 * Copies the box `[lo, hi)` (absolute coordinates) from a 4-D array whose origin is `srcOrigin` into a
 * 4-D array whose origin is `dstOrigin`, one contiguous run along the last axis at a time.
 */
type Numeric = Float32Array | Float64Array | Int8Array | Int32Array | Uint8Array;

export function copyBox(
  src: Numeric,
  srcShape: readonly number[],
  srcOrigin: readonly number[],
  dst: Numeric,
  dstShape: readonly number[],
  dstOrigin: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
): void {
  const ss = strides4(srcShape);
  const ds = strides4(dstShape);
  const run = hi[3]! - lo[3]!;
  if (run <= 0) return;
  // Same element type: each run is a memcpy.
  const fast = src.constructor === dst.constructor;
  for (let a = lo[0]!; a < hi[0]!; a++) {
    for (let b = lo[1]!; b < hi[1]!; b++) {
      for (let c = lo[2]!; c < hi[2]!; c++) {
        let s = (a - srcOrigin[0]!) * ss[0] + (b - srcOrigin[1]!) * ss[1] + (c - srcOrigin[2]!) * ss[2] + (lo[3]! - srcOrigin[3]!);
        let d = (a - dstOrigin[0]!) * ds[0] + (b - dstOrigin[1]!) * ds[1] + (c - dstOrigin[2]!) * ds[2] + (lo[3]! - dstOrigin[3]!);
        if (fast) (dst as Float32Array).set((src as Float32Array).subarray(s, s + run), d);
        else for (let k = 0; k < run; k++) dst[d++] = src[s++]!;
      }
    }
  }
}
