import type { NiftiHeader } from './header.js';
import { NIFTI1_HEADER_BYTES, NIFTI1_MIN_VOX_OFFSET, NIFTI2_HEADER_BYTES, NIFTI2_MIN_VOX_OFFSET } from './header.js';

function putText(b: Uint8Array, offset: number, length: number, value: string): void {
  // Fixed-width, NUL-padded; characters outside latin1 become '?'.
  for (let i = 0; i < length; i++) {
    const code = i < value.length ? value.charCodeAt(i) : 0;
    b[offset + i] = code > 255 ? 63 : code;
  }
  if (value.length >= length) b[offset + length - 1] = 0;
}

/**
 * Encodes a header as the bytes that start a single-file `.nii`: the header, then the 4-byte extension
 * flag (zero: no extensions). vox_offset is set to the end of those bytes.
 * @param h the header; `h.version` picks NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes), `h.littleEndian` the byte order
 */
export function encodeNiftiHeader(h: NiftiHeader): Uint8Array {
  const size = h.version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES;
  const total = h.version === 1 ? NIFTI1_MIN_VOX_OFFSET : NIFTI2_MIN_VOX_OFFSET;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  const le = h.littleEndian;
  if (h.version === 1) {
    const i16 = (o: number, x: number) => v.setInt16(o, x, le);
    const f32 = (o: number, x: number) => v.setFloat32(o, x, le);
    v.setInt32(0, size, le);
    b[38] = 'r'.charCodeAt(0);
    b[39] = h.dimInfo;
    h.dim.forEach((d, i) => i16(40 + 2 * i, d));
    f32(56, h.intentP1);
    f32(60, h.intentP2);
    f32(64, h.intentP3);
    i16(68, h.intentCode);
    i16(70, h.datatype);
    i16(72, h.bitpix);
    i16(74, h.sliceStart);
    h.pixdim.forEach((p, i) => f32(76 + 4 * i, p));
    f32(108, total);
    f32(112, h.sclSlope);
    f32(116, h.sclInter);
    i16(120, h.sliceEnd);
    b[122] = h.sliceCode;
    b[123] = h.xyztUnits;
    f32(124, h.calMax);
    f32(128, h.calMin);
    f32(132, h.sliceDuration);
    f32(136, h.toffset);
    putText(b, 148, 80, h.descrip);
    putText(b, 228, 24, h.auxFile);
    i16(252, h.qformCode);
    i16(254, h.sformCode);
    [h.quaternB, h.quaternC, h.quaternD, h.qoffsetX, h.qoffsetY, h.qoffsetZ].forEach((x, i) => f32(256 + 4 * i, x));
    [...h.srowX, ...h.srowY, ...h.srowZ].forEach((x, i) => f32(280 + 4 * i, x));
    putText(b, 328, 16, h.intentName);
    putText(b, 344, 4, 'n+1');
  } else {
    const i64 = (o: number, x: number) => v.setBigInt64(o, BigInt(Math.trunc(x)), le);
    const f64 = (o: number, x: number) => v.setFloat64(o, x, le);
    v.setInt32(0, size, le);
    putText(b, 4, 4, 'n+2');
    b.set([0x0d, 0x0a, 0x1a, 0x0a], 8);
    v.setInt16(12, h.datatype, le);
    v.setInt16(14, h.bitpix, le);
    h.dim.forEach((d, i) => i64(16 + 8 * i, d));
    f64(80, h.intentP1);
    f64(88, h.intentP2);
    f64(96, h.intentP3);
    h.pixdim.forEach((p, i) => f64(104 + 8 * i, p));
    i64(168, total);
    f64(176, h.sclSlope);
    f64(184, h.sclInter);
    f64(192, h.calMax);
    f64(200, h.calMin);
    f64(208, h.sliceDuration);
    f64(216, h.toffset);
    i64(224, h.sliceStart);
    i64(232, h.sliceEnd);
    putText(b, 240, 80, h.descrip);
    putText(b, 320, 24, h.auxFile);
    v.setInt32(344, h.qformCode, le);
    v.setInt32(348, h.sformCode, le);
    [h.quaternB, h.quaternC, h.quaternD, h.qoffsetX, h.qoffsetY, h.qoffsetZ].forEach((x, i) => f64(352 + 8 * i, x));
    [...h.srowX, ...h.srowY, ...h.srowZ].forEach((x, i) => f64(400 + 8 * i, x));
    v.setInt32(496, h.sliceCode, le);
    v.setInt32(500, h.xyztUnits, le);
    v.setInt32(504, h.intentCode, le);
    putText(b, 508, 16, h.intentName);
    b[524] = h.dimInfo;
  }
  return b;
}
