import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BinaryField } from '@openmind-ssl/testing';
import { createNiftiImage } from './create-nifti-image.js';
import { encodeNifti } from './write-nifti.js';

/**
 * Test support for the NIfTI fuzz test: seed files (our writer's output, plus Debian's nibabel test data
 * where installed) and the header fields a mutation may set to extremes. Not exported from the package.
 */
export interface NiftiSeed {
  name: string;
  /** The uncompressed file. */
  plain: Uint8Array;
  /** Whether mutated copies are also written gzip-compressed. */
  gzip: boolean;
}

/** Where Debian's python3-nibabel keeps its test data. */
export const NIBABEL_DATA = '/usr/lib/python3/dist-packages/nibabel/tests/data';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Small volumes from our writer: both versions, both byte orders, scaling, a 4-D series. */
export function writerSeeds(): NiftiSeed[] {
  const ramp = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  const f32 = createNiftiImage(Float32Array.from(ramp(60, (i) => i * 0.5 - 7)), [5, 4, 3], { spacing: [1, 1.5, 2] });
  const i16 = createNiftiImage(Int16Array.from(ramp(48, (i) => i * 300 - 7000)), [4, 4, 3]);
  i16.header.sclSlope = 0.25;
  i16.header.sclInter = 3;
  const u8 = createNiftiImage(Uint8Array.from(ramp(72, (i) => (i * 7) % 256)), [3, 3, 2, 4]);
  return [
    { name: 'writer-f32-v1-le', plain: concat(encodeNifti(f32, { version: 1 })), gzip: true },
    { name: 'writer-i16-v2-be', plain: concat(encodeNifti(i16, { version: 2, littleEndian: false })), gzip: true },
    { name: 'writer-u8-4d-v1-be', plain: concat(encodeNifti(u8, { version: 1, littleEndian: false })), gzip: false },
  ];
}

/** nibabel's test files under `maxBytes` (decompressed), or none where python3-nibabel is not installed. */
export function nibabelSeeds(maxBytes = 400_000): NiftiSeed[] {
  if (!existsSync(NIBABEL_DATA)) return [];
  return readdirSync(NIBABEL_DATA)
    .filter((f) => /\.nii(\.gz)?$/.test(f))
    .sort()
    .map((f) => {
      const bytes = new Uint8Array(readFileSync(join(NIBABEL_DATA, f)));
      const gz = f.endsWith('.gz');
      return { name: `nibabel-${f}`, plain: gz ? new Uint8Array(gunzipSync(bytes)) : bytes, gzip: gz };
    })
    .filter((s) => s.plain.length <= maxBytes);
}

/** The header fields of a seed that mutations set to extreme values (offsets from nifti1.h / nifti2.h). */
export function headerFields(plain: Uint8Array): BinaryField[] {
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const v1le = view.getInt32(0, true) === 348;
  const v1 = v1le || view.getInt32(0, false) === 348;
  const le = v1 ? v1le : view.getInt32(0, true) === 540;
  const f = (name: string, offset: number, type: BinaryField['type']): BinaryField => ({ name, offset, type, littleEndian: le });
  if (v1) {
    return [
      ...Array.from({ length: 8 }, (_, i) => f(`dim[${i}]`, 40 + 2 * i, 'i16')),
      ...Array.from({ length: 8 }, (_, i) => f(`pixdim[${i}]`, 76 + 4 * i, 'f32')),
      f('datatype', 70, 'i16'), f('bitpix', 72, 'i16'), f('vox_offset', 108, 'f32'), f('scl_slope', 112, 'f32'),
      f('scl_inter', 116, 'f32'), f('qform_code', 252, 'i16'), f('sform_code', 254, 'i16'), f('quatern_b', 256, 'f32'),
      f('quatern_d', 264, 'f32'), f('qoffset_x', 268, 'f32'), f('srow_x[0]', 280, 'f32'), f('srow_z[3]', 324, 'f32'),
      f('sizeof_hdr', 0, 'i32'),
    ];
  }
  return [
    ...Array.from({ length: 8 }, (_, i) => f(`dim[${i}]`, 16 + 8 * i, 'i64')),
    ...Array.from({ length: 8 }, (_, i) => f(`pixdim[${i}]`, 104 + 8 * i, 'f64')),
    f('datatype', 12, 'i16'), f('bitpix', 14, 'i16'), f('vox_offset', 168, 'i64'), f('scl_slope', 176, 'f64'),
    f('scl_inter', 184, 'f64'), f('qform_code', 344, 'i32'), f('sform_code', 348, 'i32'), f('quatern_b', 352, 'f64'),
    f('qoffset_x', 376, 'f64'), f('srow_x[0]', 400, 'f64'), f('sizeof_hdr', 0, 'i32'),
  ];
}
