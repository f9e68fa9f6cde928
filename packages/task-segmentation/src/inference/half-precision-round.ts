/**
 * Rounds a finite, non-negative number to the nearest IEEE float16 value (ties to even), subnormals
 * included, as `torch.Tensor.half()` does. Values that round below the smallest subnormal become 0.
 */
export function roundToFloat16(x: number): number {
  if (x === 0) return 0;
  let e = Math.floor(Math.log2(x));
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  // 10 fraction bits; below 2^-14 the spacing stays 2^-24 (subnormals).
  const quantum = 2 ** (Math.max(e, -14) - 10);
  const r = x / quantum;
  const f = Math.floor(r);
  const d = r - f;
  const n = d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  return n * quantum;
}
