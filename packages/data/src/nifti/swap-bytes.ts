/**
 * Reverses the byte order of every `width`-byte element of `bytes` in place (width 2, 4 or 8). Plain
 * JavaScript rather than Node's Buffer.swap*, so big-endian volumes also decode in a browser.
 */
export function swapBytes(bytes: Uint8Array, width: number): void {
  const n = bytes.length - (bytes.length % width);
  const half = width >> 1;
  for (let i = 0; i < n; i += width) {
    for (let k = 0; k < half; k++) {
      const a = bytes[i + k]!;
      bytes[i + k] = bytes[i + width - 1 - k]!;
      bytes[i + width - 1 - k] = a;
    }
  }
}
