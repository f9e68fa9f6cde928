import type { NiftiDType, NiftiTypedArray } from './dtypes.js';
import { NIFTI_DTYPES } from './dtypes.js';
import type { NonFiniteCount } from './voxel-scanner.js';
import { VoxelScanner } from './voxel-scanner.js';
import { swapBytes } from './swap-bytes.js';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Views bytes already in host byte order as a typed array of `dtype` (no copy). */
export function viewVoxels(bytes: Uint8Array, dtype: NiftiDType): NiftiTypedArray {
  const n = bytes.byteLength / NIFTI_DTYPES[dtype].bytes;
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(bytes.buffer, bytes.byteOffset, n);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset, n);
    case 'int16':
      return new Int16Array(bytes.buffer, bytes.byteOffset, n);
    case 'uint16':
      return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
    case 'int32':
      return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    case 'uint32':
      return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    case 'float32':
      return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    case 'float64':
      return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  }
}

/**
 * Encodes voxels as bytes of the requested byte order (a copy when swapping is needed, else a view).
 */
export function encodeVoxels(data: NiftiTypedArray, littleEndian: boolean): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data.BYTES_PER_ELEMENT === 1 || littleEndian === HOST_LITTLE_ENDIAN) return view;
  const copy = view.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/** Whether scl_slope/scl_inter change values (nibabel: a zero or non-finite slope means "no scaling"). */
export function scalingApplies(slope: number, inter: number): boolean {
  if (slope === 0 || !Number.isFinite(slope)) return false;
  return slope !== 1 || inter !== 0;
}

/**
 * raw·slope + inter, as float32 (float64 when the raw data is float64, so no precision is lost).
 */
export function applyScaling(raw: NiftiTypedArray, slope: number, inter: number): Float32Array | Float64Array {
  const out = raw instanceof Float64Array ? new Float64Array(raw.length) : new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i]! * slope + inter;
  return out;
}

/** Counts NaN and ±Infinity values (integer arrays have none). */
export function countNonFinite(data: NiftiTypedArray): NonFiniteCount {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return { nan: 0, inf: 0, first: -1 };
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const scanner = new VoxelScanner(bytes, data instanceof Float32Array ? 'float32' : 'float64', HOST_LITTLE_ENDIAN);
  scanner.advance(bytes.byteLength);
  return scanner.count;
}
