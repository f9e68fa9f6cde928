import { OpenMindError } from '@openmind-ssl/core';

/** Element types a PyTorch checkpoint can hold that this package reads and writes (bit-exact). */
export type TorchDType = 'float64' | 'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

interface DTypeInfo {
  /** Bytes per element. */
  size: number;
  /** Legacy typed-storage class in `torch` (what torch.save names in its persistent ids). */
  storage: string;
  /** safetensors dtype code. */
  safetensors: string;
}

const INFO: Record<TorchDType, DTypeInfo> = {
  float64: { size: 8, storage: 'DoubleStorage', safetensors: 'F64' },
  float32: { size: 4, storage: 'FloatStorage', safetensors: 'F32' },
  float16: { size: 2, storage: 'HalfStorage', safetensors: 'F16' },
  bfloat16: { size: 2, storage: 'BFloat16Storage', safetensors: 'BF16' },
  int64: { size: 8, storage: 'LongStorage', safetensors: 'I64' },
  int32: { size: 4, storage: 'IntStorage', safetensors: 'I32' },
  int16: { size: 2, storage: 'ShortStorage', safetensors: 'I16' },
  int8: { size: 1, storage: 'CharStorage', safetensors: 'I8' },
  uint8: { size: 1, storage: 'ByteStorage', safetensors: 'U8' },
  bool: { size: 1, storage: 'BoolStorage', safetensors: 'BOOL' },
};

export const TORCH_DTYPES = Object.keys(INFO) as TorchDType[];

/** Bytes per element of a dtype. */
export function elementSize(dtype: TorchDType): number {
  return INFO[dtype].size;
}

/** The `torch.<X>Storage` class name torch.save uses for a dtype. */
export function storageClassOf(dtype: TorchDType): string {
  return INFO[dtype].storage;
}

/** The dtype of a `torch.<X>Storage` class name, or undefined for storages we do not read (complex, quantized). */
export function dtypeOfStorageClass(name: string): TorchDType | undefined {
  return TORCH_DTYPES.find((d) => INFO[d].storage === name);
}

export function safetensorsCodeOf(dtype: TorchDType): string {
  return INFO[dtype].safetensors;
}

/**
 * The dtype of a safetensors code.
 * @throws OpenMindError for codes without a PyTorch storage here (U16, U32, U64, F8…).
 */
export function dtypeOfSafetensorsCode(code: string, source: string): TorchDType {
  const d = TORCH_DTYPES.find((t) => INFO[t].safetensors === code);
  if (!d) throw new OpenMindError(`${source}: safetensors dtype '${code}' is not supported (supported: ${TORCH_DTYPES.map((t) => INFO[t].safetensors).join(', ')}).`);
  return d;
}

// numpy type codes (kind + itemsize) of the dtypes numpy arrays/scalars in nnssl checkpoints use.
const NUMPY: Record<string, TorchDType> = {
  f8: 'float64', f4: 'float32', f2: 'float16', i8: 'int64', i4: 'int32', i2: 'int16', i1: 'int8', u1: 'uint8', b1: 'bool',
};

/** The dtype of a numpy type string such as 'f8' or '<i8' (byte-order prefix ignored here). */
export function dtypeOfNumpyCode(code: string): TorchDType | undefined {
  return NUMPY[code.replace(/^[<>|=]/, '')];
}

/** Reverses the byte order of every element in place (big-endian files). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
