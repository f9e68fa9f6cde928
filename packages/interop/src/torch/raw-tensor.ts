import { bf16ToFloat, halfToFloat, type HostTensor, OpenMindError } from '@openmind-ssl/core';
import { elementSize, type TorchDType } from './torch-dtype.js';

/**
 * A tensor exactly as a checkpoint stores it: any PyTorch dtype, contiguous row-major, little-endian
 * bytes. Conversions keep these bytes untouched, so .pth ↔ .safetensors is bit-exact for every dtype.
 */
export interface RawTensor {
  dtype: TorchDType;
  shape: number[];
  /** size × elementSize(dtype) bytes, little-endian, row-major. */
  data: Uint8Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Values of a raw tensor as JS numbers (int64 as numbers too: exact up to 2^53). */
export function rawValues(t: RawTensor): number[] {
  const n = numelOf(t.shape);
  const v = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = readElement(v, t.dtype, i);
  return out;
}

function readElement(v: DataView, dtype: TorchDType, i: number): number {
  switch (dtype) {
    case 'float64': return v.getFloat64(8 * i, true);
    case 'float32': return v.getFloat32(4 * i, true);
    case 'float16': return halfToFloat(v.getUint16(2 * i, true));
    case 'bfloat16': return bf16ToFloat(v.getUint16(2 * i, true));
    case 'int64': return Number(v.getBigInt64(8 * i, true));
    case 'int32': return v.getInt32(4 * i, true);
    case 'int16': return v.getInt16(2 * i, true);
    case 'int8': return v.getInt8(i);
    case 'uint8': return v.getUint8(i);
    case 'bool': return v.getUint8(i) ? 1 : 0;
  }
}

/**
 * A raw tensor in one of core's host dtypes, for loading into a model. Floating types become float32
 * (float64 is rounded to nearest); int64/int16/int8 become int32 and bool becomes uint8.
 * @throws RangeError naming `name` when an int64 value does not fit in int32 (never wrapped silently).
 */
export function toHostTensor(t: RawTensor, name: string): HostTensor {
  const n = numelOf(t.shape);
  const shape = [...t.shape];
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (t.dtype === 'float32') {
    // Bulk copy when the bytes are aligned (hosts are little-endian, like the files); else element-wise.
    if (LITTLE_ENDIAN && t.data.byteOffset % 4 === 0) return { dtype: 'float32', shape, data: new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + 4 * n)) };
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
    return { dtype: 'float32', shape, data };
  }
  if (t.dtype === 'float64' || t.dtype === 'float16' || t.dtype === 'bfloat16') {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = readElement(view, t.dtype, i);
    return { dtype: 'float32', shape, data };
  }
  if (t.dtype === 'uint8' || t.dtype === 'bool') {
    return { dtype: 'uint8', shape, data: Uint8Array.from(t.data.subarray(0, n), (b) => (t.dtype === 'bool' ? (b ? 1 : 0) : b)) };
  }
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (t.dtype === 'int64') {
      const big = view.getBigInt64(8 * i, true);
      if (big > 2147483647n || big < -2147483648n) {
        throw new RangeError(`${name}: int64 value ${big} at flat index ${i} does not fit in int32, the widest integer type of @openmind-ssl/core.`);
      }
      data[i] = Number(big);
    } else data[i] = readElement(view, t.dtype, i);
  }
  return { dtype: 'int32', shape, data };
}

/** A core host tensor as raw little-endian bytes (float32 → float32, int32 → int32, uint8 → uint8). */
export function fromHostTensor(t: HostTensor): RawTensor {
  const n = t.data.length;
  if (t.data instanceof Uint8Array) return { dtype: 'uint8', shape: [...t.shape], data: Uint8Array.from(t.data) };
  const out = new Uint8Array(4 * n);
  const view = new DataView(out.buffer);
  if (t.data instanceof Float32Array) {
    for (let i = 0; i < n; i++) view.setFloat32(4 * i, t.data[i]!, true);
    return { dtype: 'float32', shape: [...t.shape], data: out };
  }
  for (let i = 0; i < n; i++) view.setInt32(4 * i, t.data[i]!, true);
  return { dtype: 'int32', shape: [...t.shape], data: out };
}

/** A float32 raw tensor from JS numbers (rounded to float32). */
export function float32Raw(values: ArrayLike<number>, shape: number[]): RawTensor {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
  return { dtype: 'float32', shape, data: out };
}

/**
 * Copies a strided view of a storage into a contiguous tensor (PyTorch `as_strided` semantics).
 * @throws OpenMindError naming `name` when the view reaches outside the storage.
 */
export function materializeStrided(
  storage: Uint8Array, dtype: TorchDType, storageNumel: number, offset: number, shape: readonly number[], stride: readonly number[], name: string,
): RawTensor {
  const size = elementSize(dtype);
  if (shape.length !== stride.length) throw new OpenMindError(`${name}: size [${shape.join(', ')}] and stride [${stride.join(', ')}] differ in rank.`);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || stride.some((s) => !Number.isInteger(s) || s < 0) || !Number.isInteger(offset) || offset < 0) {
    throw new OpenMindError(`${name}: invalid view (offset ${offset}, size [${shape.join(', ')}], stride [${stride.join(', ')}]).`);
  }
  const n = numelOf(shape);
  if (n > 0) {
    const last = offset + shape.reduce((s, d, i) => s + (d - 1) * stride[i]!, 0);
    if (last >= storageNumel || storage.length < storageNumel * size) {
      throw new OpenMindError(
        `${name}: tensor [${shape.join(', ')}] (offset ${offset}, stride [${stride.join(', ')}]) needs storage elements up to index ${last}, ` +
          `but its ${dtype} storage holds ${Math.min(storageNumel, Math.floor(storage.length / size))} (storage too small or file corrupt).`,
      );
    }
  }
  // A contiguous view shares the storage's bytes (no copy): raw tensors are never written in place.
  if (isContiguous(shape, stride)) return { dtype, shape: [...shape], data: storage.subarray(offset * size, (offset + n) * size) };
  const out = new Uint8Array(n * size);
  // Odometer over the index space: avoids a division per element on large non-contiguous tensors.
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let src = offset;
  for (let i = 0; i < n; i++) {
    out.set(storage.subarray(src * size, src * size + size), i * size);
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      src += stride[a]!;
      if (idx[a]! < shape[a]!) break;
      src -= stride[a]! * shape[a]!;
      idx[a] = 0;
    }
  }
  return { dtype, shape: [...shape], data: out };
}

/** Whether a view with these sizes and strides is row-major contiguous (size-1 axes may have any stride). */
export function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    if (shape[a] !== 1 && stride[a] !== expected) return false;
    expected *= shape[a]!;
  }
  return true;
}
