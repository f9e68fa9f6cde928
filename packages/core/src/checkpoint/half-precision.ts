/**
 * IEEE 754 half precision (float16) bits → number: sign, 5-bit exponent (bias 15), 10-bit fraction;
 * subnormals, infinities and NaN included. Used by every reader of half-precision weights (safetensors
 * F16, PyTorch float16 storages).
 */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** bfloat16 bits → number: the upper 16 bits of a float32. */
export function bf16ToFloat(b: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, b << 16, true);
  return buf.getFloat32(0, true);
}
