import type { RawTensor } from '../torch/raw-tensor.js';
import type { TorchDType } from '../torch/torch-dtype.js';

/**
 * The Python values a checkpoint pickle may hold, as plain data. Python int → number (or bigint beyond
 * 2^53), float → number, str → string, bytes → Uint8Array, list → array, dict → Map (insertion order kept,
 * OrderedDict flagged), tuple → PyTuple, set → PySet. Tensors and numpy arrays are data too.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyDict
  | PyTuple
  | PySet
  | TorchTensor
  | NumpyArray
  | PyDevice
  | PyGlobal
  | NumpyDType
  | StorageRef;

/** Hashable values usable as dict keys here. */
export type PyKey = null | boolean | number | bigint | string;

/** A Python dict; `ordered` marks a collections.OrderedDict (what state dicts are). */
export class PyDict extends Map<PyKey, PyValue> {
  constructor(entries?: Iterable<readonly [PyKey, PyValue]>, readonly ordered = false) {
    super(entries);
  }
}

/** A Python tuple (kept apart from lists so it is written back as a tuple). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PySet {
  constructor(readonly items: PyValue[], readonly frozen = false) {}
}

/** torch.device('cuda', 0) as data (nnssl stores the trainer's device in `init_args`). */
export class PyDevice {
  constructor(readonly type: string, readonly index: number | null) {}
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
}

/**
 * An allow-listed global that is only ever referenced, never called on its own: a storage class
 * (torch.FloatStorage), numpy.ndarray, a torch dtype. Calls go through the allow-list's handlers.
 */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get path(): string {
    return `${this.module}.${this.name}`;
  }
}

/** numpy.dtype('<f8') as data. */
export class NumpyDType {
  /** '<', '>', '|' or '=' (set by the pickle's BUILD state). */
  byteOrder = '=';
  constructor(readonly code: string) {}
}

/** One storage of a checkpoint: its bytes are read after unpickling, by key. */
export class StorageRef {
  /** Little-endian bytes, set once the storage has been read. */
  data: Uint8Array | undefined;
  constructor(readonly key: string, readonly dtype: TorchDType, readonly numel: number, readonly location: string) {}
}

/** A tensor as `_rebuild_tensor_v2` describes it: a view (offset, size, stride) of a storage. */
export class TorchTensor {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
    readonly requiresGrad: boolean,
    /** True when pickled through `_rebuild_parameter` (an nn.Parameter). */
    readonly parameter = false,
  ) {}

  get dtype(): TorchDType {
    return this.storage.dtype;
  }
}

/**
 * A numpy ndarray read from a pickle (its bytes inline in the pickle, little-endian after reading).
 * `raw` is filled by the pickle's BUILD step, as numpy's `__setstate__` would.
 */
export class NumpyArray {
  constructor(public raw: RawTensor) {}
}
