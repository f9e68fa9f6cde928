import type { NiftiDType } from './dtypes.js';
import { NIFTI_DTYPES } from './dtypes.js';
import { swapBytes } from './swap-bytes.js';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Non-finite voxels found by a scan. */
export interface NonFiniteCount {
  nan: number;
  inf: number;
  /** Index of the first non-finite voxel, -1 when none. */
  first: number;
}

/**
 * Brings voxel bytes into host byte order and counts NaN/Inf while they arrive, chunk by chunk, so this
 * work overlaps with reading and decompressing the next chunk instead of costing two passes at the end.
 * Call `advance(filled)` whenever the first `filled` bytes of `bytes` are final.
 */
export class VoxelScanner {
  private done = 0;
  private readonly width: number;
  private readonly swap: boolean;
  private readonly f32: Float32Array | undefined;
  private readonly f64: Float64Array | undefined;
  readonly count: NonFiniteCount = { nan: 0, inf: 0, first: -1 };

  /** @param countNonFinite false skips the NaN/Inf count (only byte order is fixed) */
  constructor(private readonly bytes: Uint8Array, dtype: NiftiDType, littleEndian: boolean, countNonFinite = true) {
    this.width = NIFTI_DTYPES[dtype].bytes;
    this.swap = this.width > 1 && littleEndian !== HOST_LITTLE_ENDIAN;
    const n = Math.floor(bytes.byteLength / this.width);
    if (countNonFinite && dtype === 'float32') this.f32 = new Float32Array(bytes.buffer, bytes.byteOffset, n);
    if (countNonFinite && dtype === 'float64') this.f64 = new Float64Array(bytes.buffer, bytes.byteOffset, n);
  }

  advance(filled: number): void {
    const end = filled - (filled % this.width);
    if (end <= this.done) return;
    if (this.swap) {
      swapBytes(this.bytes.subarray(this.done, end), this.width);
    }
    const from = this.done / this.width;
    const to = end / this.width;
    if (this.f32) scanF32(this.f32, from, to, this.count);
    else if (this.f64) scanF64(this.f64, from, to, this.count);
    this.done = end;
  }
}

// One loop per array type keeps each loop monomorphic, which V8 runs several times faster.
function scanF32(a: Float32Array, from: number, to: number, c: NonFiniteCount): void {
  for (let i = from; i < to; i++) {
    const v = a[i]!;
    if (v - v !== 0) record(v, i, c);
  }
}

function scanF64(a: Float64Array, from: number, to: number, c: NonFiniteCount): void {
  for (let i = from; i < to; i++) {
    const v = a[i]!;
    if (v - v !== 0) record(v, i, c);
  }
}

function record(v: number, i: number, c: NonFiniteCount): void {
  if (v !== v) c.nan++;
  else c.inf++;
  if (c.first < 0) c.first = i;
}
