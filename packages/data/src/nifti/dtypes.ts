/** Voxel types this package reads and writes (the NIfTI `datatype` codes it accepts). */
export type NiftiDType = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** The typed array that holds voxels of each {@link NiftiDType}. */
export type NiftiTypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

interface DTypeInfo {
  /** NIfTI `datatype` code. */
  code: number;
  /** Bytes per voxel (bitpix / 8). */
  bytes: number;
  /** Allocates a typed array of this type. */
  create: (length: number) => NiftiTypedArray;
}

export const NIFTI_DTYPES: Readonly<Record<NiftiDType, DTypeInfo>> = {
  uint8: { code: 2, bytes: 1, create: (n) => new Uint8Array(n) },
  int16: { code: 4, bytes: 2, create: (n) => new Int16Array(n) },
  int32: { code: 8, bytes: 4, create: (n) => new Int32Array(n) },
  float32: { code: 16, bytes: 4, create: (n) => new Float32Array(n) },
  float64: { code: 64, bytes: 8, create: (n) => new Float64Array(n) },
  int8: { code: 256, bytes: 1, create: (n) => new Int8Array(n) },
  uint16: { code: 512, bytes: 2, create: (n) => new Uint16Array(n) },
  uint32: { code: 768, bytes: 4, create: (n) => new Uint32Array(n) },
};

/** Names of the NIfTI codes we refuse, so the error can say what the file holds. */
const UNSUPPORTED_CODES: Readonly<Record<number, string>> = {
  0: 'unknown (0)',
  1: 'binary (1)',
  32: 'complex64 (32)',
  128: 'RGB24 (128)',
  255: 'all (255)',
  1024: 'int64 (1024)',
  1280: 'uint64 (1280)',
  1536: 'float128 (1536)',
  1792: 'complex128 (1792)',
  2048: 'complex256 (2048)',
  2304: 'RGBA32 (2304)',
};

/** The dtype of a NIfTI `datatype` code, or undefined for codes we do not read. */
export function dtypeFromCode(code: number): NiftiDType | undefined {
  for (const [name, info] of Object.entries(NIFTI_DTYPES) as [NiftiDType, DTypeInfo][]) {
    if (info.code === code) return name;
  }
  return undefined;
}

/** A readable name for a datatype code, for error messages. */
export function describeDatatypeCode(code: number): string {
  const known = dtypeFromCode(code);
  if (known) return `${known} (${code})`;
  return UNSUPPORTED_CODES[code] ?? `unknown code ${code}`;
}

/** The dtype of an existing typed array. */
export function dtypeOfArray(data: NiftiTypedArray): NiftiDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  return 'uint32';
}
