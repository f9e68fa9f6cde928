/** A Python int as JS: a number when exactly representable (|v| ≤ 2^53 − 1), a bigint otherwise. */
export function pyInt(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/** Decodes pickle's little-endian two's-complement long (LONG1/LONG4 payload). */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return pyInt(v);
}

/** Encodes an int as pickle's minimal little-endian two's-complement long. */
export function encodeLong(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v === 0n) return new Uint8Array(0);
  const out: number[] = [];
  // Emit bytes until the remaining value is the sign extension of the last byte written.
  for (;;) {
    const byte = Number(v & 0xffn);
    out.push(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}
