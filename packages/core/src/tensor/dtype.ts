/** Element types. float32 is the compute type; int32 and uint8 hold labels, indices and masks. */
export type DType = 'float32' | 'int32' | 'uint8';

/** The typed array that holds values of each dtype on the host. */
export type TypedArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : Uint8Array;

export type HostArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'uint8'];

export function bytesPerElement(dtype: DType): number {
  return dtype === 'uint8' ? 1 : 4;
}

export function allocate(dtype: DType, size: number): HostArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

export function dtypeOf(data: HostArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** Converts host values to the array type of `dtype` (float → int truncates toward zero, as a cast does). */
export function toHostArray(values: ArrayLike<number>, dtype: DType): HostArray {
  // The typed-array constructors convert as a cast does (ToInt32 / ToUint8 truncate toward zero); `from`
  // with a mapping function would give the same values through V8's slow generic path (~10× slower).
  if (dtype === 'float32') return values instanceof Float32Array ? values : new Float32Array(values);
  if (dtype === 'int32') return values instanceof Int32Array ? values : new Int32Array(values);
  return values instanceof Uint8Array ? values : new Uint8Array(values);
}
