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

type Numeric = Float32Array | Float64Array | Int8Array | Int32Array | Uint8Array;

/**
 * Copies the box `[lo, hi)` (absolute coordinates) from a 4-D array whose origin is `srcOrigin` into a
 * 4-D array whose origin is `dstOrigin`, one contiguous run along the last axis at a time.
 */
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
  const run = hi[3]! - lo[3]!;
  if (run <= 0) return;
  const ss = strides4(srcShape);
  const ds = strides4(dstShape);
  // Run starts for every (a, b, c) of the box, then one copy loop per element type: each loop sees a single
  // array type, so V8 keeps it monomorphic (a shared loop over the union type is several times slower).
  const n = (hi[0]! - lo[0]!) * (hi[1]! - lo[1]!) * (hi[2]! - lo[2]!);
  if (n <= 0) return;
  const sStart = new Int32Array(n);
  const dStart = new Int32Array(n);
  let r = 0;
  for (let a = lo[0]!; a < hi[0]!; a++) {
    for (let b = lo[1]!; b < hi[1]!; b++) {
      for (let c = lo[2]!; c < hi[2]!; c++, r++) {
        sStart[r] = (a - srcOrigin[0]!) * ss[0] + (b - srcOrigin[1]!) * ss[1] + (c - srcOrigin[2]!) * ss[2] + (lo[3]! - srcOrigin[3]!);
        dStart[r] = (a - dstOrigin[0]!) * ds[0] + (b - dstOrigin[1]!) * ds[1] + (c - dstOrigin[2]!) * ds[2] + (lo[3]! - dstOrigin[3]!);
      }
    }
  }
  if (src instanceof Float32Array && dst instanceof Float32Array) copyRunsF32(src, dst, sStart, dStart, run);
  else if (src instanceof Int8Array && dst instanceof Int8Array) copyRunsI8(src, dst, sStart, dStart, run);
  else copyRunsAny(src, dst, sStart, dStart, run);
}

function copyRunsF32(src: Float32Array, dst: Float32Array, s: Int32Array, d: Int32Array, run: number): void {
  for (let r = 0; r < s.length; r++) {
    const so = s[r]!;
    const dO = d[r]!;
    for (let k = 0; k < run; k++) dst[dO + k] = src[so + k]!;
  }
}

function copyRunsI8(src: Int8Array, dst: Int8Array, s: Int32Array, d: Int32Array, run: number): void {
  for (let r = 0; r < s.length; r++) {
    const so = s[r]!;
    const dO = d[r]!;
    for (let k = 0; k < run; k++) dst[dO + k] = src[so + k]!;
  }
}

function copyRunsAny(src: Numeric, dst: Numeric, s: Int32Array, d: Int32Array, run: number): void {
  for (let r = 0; r < s.length; r++) {
    const so = s[r]!;
    const dO = d[r]!;
    for (let k = 0; k < run; k++) dst[dO + k] = src[so + k]!;
  }
}
