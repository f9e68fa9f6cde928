import { describeDatatypeCode, dtypeFromCode } from './dtypes.js';
import type { NiftiHeader } from './header.js';
import { NIFTI1_HEADER_BYTES, NIFTI1_MIN_VOX_OFFSET, NIFTI2_HEADER_BYTES, NIFTI2_MIN_VOX_OFFSET } from './header.js';
import { niftiError } from './nifti-error.js';

/**
 * Parses and validates a NIfTI-1 or NIfTI-2 header from the first bytes of a file (decompressed).
 * The version and byte order are told by `sizeof_hdr` (348 or 540, either byte order).
 * @param bytes at least 348 bytes (540 for NIfTI-2) from the start of the file
 * @param file the file name, for error messages
 * @throws OpenMindError when the bytes are too few, `sizeof_hdr` or the magic is wrong, the file is a
 *   .hdr/.img pair, `dim` is out of range, or the datatype is not one we read.
 */
export function parseNiftiHeader(bytes: Uint8Array, file: string): NiftiHeader {
  if (bytes.length === 0) throw niftiError(file, 'the file is empty');
  if (bytes.length < 4) throw niftiError(file, `the file is truncated: it has ${bytes.length} bytes, a NIfTI header needs 348`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizeLe = view.getInt32(0, true);
  const sizeBe = view.getInt32(0, false);
  let version: 1 | 2;
  let littleEndian: boolean;
  if (sizeLe === NIFTI1_HEADER_BYTES || sizeBe === NIFTI1_HEADER_BYTES) {
    version = 1;
    littleEndian = sizeLe === NIFTI1_HEADER_BYTES;
  } else if (sizeLe === NIFTI2_HEADER_BYTES || sizeBe === NIFTI2_HEADER_BYTES) {
    version = 2;
    littleEndian = sizeLe === NIFTI2_HEADER_BYTES;
  } else {
    throw niftiError(
      file,
      `sizeof_hdr must be 348 (NIfTI-1) or 540 (NIfTI-2) in either byte order, but got ${sizeLe} (little-endian) / ${sizeBe} (big-endian)`,
      'this is not a NIfTI file (wrong magic/header size); a gzip file must end in .nii.gz and start with the gzip signature.',
    );
  }
  const need = version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES;
  if (bytes.length < need) {
    throw niftiError(file, `the file is truncated: it has ${bytes.length} bytes, a NIfTI-${version} header needs ${need}`);
  }
  if (version === 2) checkNifti2Signature(bytes, file);
  const header = version === 1 ? readV1(view, bytes, littleEndian) : readV2(view, bytes, littleEndian);
  validate(header, file);
  return header;
}

/**
 * NIfTI-2's magic is followed by `\r\n\x1a\n` so that a text-mode copy (which rewrites line ends)
 * is detected; nibabel also accepts four zero bytes. Anything else means the file was damaged.
 */
function checkNifti2Signature(bytes: Uint8Array, file: string): void {
  const sig = Array.from(bytes.subarray(8, 12));
  if (sig.every((b) => b === 0) || sig.join() === '13,10,26,10') return;
  throw niftiError(file, `bytes 8-11 after the NIfTI-2 magic must be 13, 10, 26, 10, but got ${sig.join(', ')}`, 'the file was probably damaged by a text-mode (line-ending) conversion; copy it again in binary mode.');
}

function text(bytes: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && bytes[end] !== 0) end++;
  return new TextDecoder('latin1').decode(bytes.subarray(offset, end));
}

function readV1(v: DataView, b: Uint8Array, le: boolean): NiftiHeader {
  const i16 = (o: number) => v.getInt16(o, le);
  const f32 = (o: number) => v.getFloat32(o, le);
  const row = (o: number) => [f32(o), f32(o + 4), f32(o + 8), f32(o + 12)];
  return {
    version: 1,
    littleEndian: le,
    dim: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
    pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
    intentP1: f32(56),
    intentP2: f32(60),
    intentP3: f32(64),
    intentCode: i16(68),
    datatype: i16(70),
    bitpix: i16(72),
    sliceStart: i16(74),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    sliceEnd: i16(120),
    sliceCode: b[122]!,
    xyztUnits: b[123]!,
    calMax: f32(124),
    calMin: f32(128),
    sliceDuration: f32(132),
    toffset: f32(136),
    descrip: text(b, 148, 80),
    auxFile: text(b, 228, 24),
    qformCode: i16(252),
    sformCode: i16(254),
    quaternB: f32(256),
    quaternC: f32(260),
    quaternD: f32(264),
    qoffsetX: f32(268),
    qoffsetY: f32(272),
    qoffsetZ: f32(276),
    srowX: row(280),
    srowY: row(296),
    srowZ: row(312),
    intentName: text(b, 328, 16),
    magic: text(b, 344, 4),
    dimInfo: b[39]!,
  };
}

function readV2(v: DataView, b: Uint8Array, le: boolean): NiftiHeader {
  const i64 = (o: number) => Number(v.getBigInt64(o, le));
  const i32 = (o: number) => v.getInt32(o, le);
  const f64 = (o: number) => v.getFloat64(o, le);
  const row = (o: number) => [f64(o), f64(o + 8), f64(o + 16), f64(o + 24)];
  return {
    version: 2,
    littleEndian: le,
    magic: text(b, 4, 4),
    datatype: v.getInt16(12, le),
    bitpix: v.getInt16(14, le),
    dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    intentP1: f64(80),
    intentP2: f64(88),
    intentP3: f64(96),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    calMax: f64(192),
    calMin: f64(200),
    sliceDuration: f64(208),
    toffset: f64(216),
    sliceStart: i64(224),
    sliceEnd: i64(232),
    descrip: text(b, 240, 80),
    auxFile: text(b, 320, 24),
    qformCode: i32(344),
    sformCode: i32(348),
    quaternB: f64(352),
    quaternC: f64(360),
    quaternD: f64(368),
    qoffsetX: f64(376),
    qoffsetY: f64(384),
    qoffsetZ: f64(392),
    srowX: row(400),
    srowY: row(432),
    srowZ: row(464),
    sliceCode: i32(496),
    xyztUnits: i32(500),
    intentCode: i32(504),
    intentName: text(b, 508, 16),
    dimInfo: b[524]!,
  };
}

function validate(h: NiftiHeader, file: string): void {
  const single = h.version === 1 ? 'n+1' : 'n+2';
  const pair = h.version === 1 ? 'ni1' : 'ni2';
  if (h.magic === pair) {
    throw niftiError(file, `magic is "${pair}": this is the header of a .hdr/.img pair, which is not supported`, 'convert it to a single .nii file (e.g. nibabel: nib.save(nib.load(p), "out.nii.gz")).');
  }
  if (h.magic !== single) {
    throw niftiError(file, `magic must be "${single}" for a NIfTI-${h.version} file, but got ${JSON.stringify(h.magic)}`);
  }
  const ndim = h.dim[0]!;
  if (!(ndim >= 1 && ndim <= 7)) throw niftiError(file, `dim[0] (number of dimensions) must be in 1..7, but got ${ndim}`);
  for (let i = 1; i <= ndim; i++) {
    const d = h.dim[i]!;
    if (!Number.isSafeInteger(d) || d < 1) throw niftiError(file, `dim[${i}] must be a positive size, but got ${d}`);
  }
  const dtype = dtypeFromCode(h.datatype);
  if (!dtype) {
    throw niftiError(
      file,
      `datatype ${describeDatatypeCode(h.datatype)} is not supported; supported: uint8, int8, int16, uint16, int32, uint32, float32, float64`,
    );
  }
  const minOffset = h.version === 1 ? NIFTI1_MIN_VOX_OFFSET : NIFTI2_MIN_VOX_OFFSET;
  if (!Number.isFinite(h.voxOffset) || (h.voxOffset !== 0 && h.voxOffset < minOffset)) {
    throw niftiError(file, `vox_offset must be at least ${minOffset} for a single-file NIfTI-${h.version}, but got ${h.voxOffset}`);
  }
}
