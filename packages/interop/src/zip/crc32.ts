// CRC-32 (IEEE 802.3, reflected 0xEDB88320), as zip stores it. Slicing-by-4 tables: a plain byte table
// is several times slower on the hundreds of megabytes of a ResEnc-L checkpoint.
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T0[i] = c >>> 0;
}
for (let i = 0; i < 256; i++) {
  T1[i] = (T0[i]! >>> 8) ^ T0[T0[i]! & 0xff]!;
  T2[i] = (T1[i]! >>> 8) ^ T0[T1[i]! & 0xff]!;
  T3[i] = (T2[i]! >>> 8) ^ T0[T2[i]! & 0xff]!;
}

/** CRC-32 of `bytes`, continuing from `crc` (pass the previous result to checksum in pieces). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  let i = 0;
  const n4 = bytes.length & ~3;
  for (; i < n4; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!;
  }
  for (; i < bytes.length; i++) c = T0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
