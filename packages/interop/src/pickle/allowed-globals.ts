import { OpenMindError } from '@openmind-ssl/core';
import { numelOf } from '../torch/raw-tensor.js';
import { dtypeOfNumpyCode, dtypeOfStorageClass, elementSize, swapBytes, type TorchDType } from '../torch/torch-dtype.js';
import { NumpyArray, NumpyDType, PyDevice, PyDict, PyGlobal, type PyKey, PySet, PyTuple, type PyValue, StorageRef, TorchTensor } from './py-value.js';
import { pyInt } from './py-int.js';

/** A callable global: a pure function from pickled arguments to plain data. */
export class AllowedCallable {
  constructor(
    readonly path: string,
    readonly call: (args: PyValue[], source: string) => PyValue,
  ) {}
}

// Python 2 names that protocol-2 pickles written by Python 3 use for builtins (fix_imports).
const BUILTINS = new Set(['builtins', '__builtin__']);
const NUMPY_MULTIARRAY = new Set(['numpy.core.multiarray', 'numpy._core.multiarray']);
const NUMPY_NUMERIC = new Set(['numpy.core.numeric', 'numpy._core.numeric']);
const TORCH_DTYPE_NAMES = new Set(['float64', 'float32', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'double', 'float', 'half', 'long', 'int', 'short']);

const fail = (source: string, message: string): never => {
  throw new OpenMindError(`${source}: ${message}`);
};

function intArg(v: PyValue | undefined, what: string, source: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return fail(source, `${what} must be an integer, but got ${describe(v)}.`);
}

function intList(v: PyValue | undefined, what: string, source: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : fail(source, `${what} must be a tuple of integers, but got ${describe(v)}.`);
  return items.map((x, i) => intArg(x, `${what}[${i}]`, source));
}

/** A short description of a pickled value for error messages. */
export function describe(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (typeof v === 'object') return `a ${v.constructor.name}`;
  return `${typeof v} ${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)}`;
}

function rebuildTensor(args: PyValue[], source: string, parameterHooks: boolean): TorchTensor {
  const [storage, offset, size, stride, requiresGrad] = args;
  // As torch's signatures: (storage, offset, size, stride) and (…, requires_grad, backward_hooks[, metadata]).
  const name = parameterHooks ? '_rebuild_tensor_v2' : '_rebuild_tensor';
  if (parameterHooks ? args.length < 6 || args.length > 7 : args.length !== 4) {
    return fail(source, `${name} takes ${parameterHooks ? '6 or 7' : '4'} arguments, but got ${args.length}.`);
  }
  if (!(storage instanceof StorageRef)) return fail(source, `_rebuild_tensor_v2 expects a storage (persistent id) first, but got ${describe(storage)}.`);
  if (parameterHooks && requiresGrad === true && !/^(float|bfloat)/.test(storage.dtype)) {
    return fail(source, `a ${storage.dtype} tensor cannot require gradients (only floating-point tensors can), as torch refuses.`);
  }
  return new TorchTensor(
    storage,
    intArg(offset, 'tensor storage_offset', source),
    intList(size, 'tensor size', source),
    intList(stride, 'tensor stride', source),
    parameterHooks ? requiresGrad === true : false,
  );
}

function numpyDType(v: PyValue | undefined, source: string): { dtype: TorchDType; bigEndian: boolean } {
  if (!(v instanceof NumpyDType)) return fail(source, `numpy value needs a numpy.dtype, but got ${describe(v)}.`);
  const dtype = dtypeOfNumpyCode(v.code);
  if (!dtype) return fail(source, `numpy dtype '${v.code}' is not supported (numeric and bool dtypes only; object arrays are refused).`);
  const order = /^[<>|=]/.test(v.code) ? v.code[0]! : v.byteOrder;
  return { dtype, bigEndian: order === '>' };
}

function bytesArg(v: PyValue | undefined, what: string, source: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  // numpy writes raw data as a latin-1 str in protocol 0/1 pickles.
  if (typeof v === 'string') return Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff);
  return fail(source, `${what} must be bytes, but got ${describe(v)}.`);
}

function numpyScalar(args: PyValue[], source: string): PyValue {
  const { dtype, bigEndian } = numpyDType(args[0], source);
  const bytes = Uint8Array.from(bytesArg(args[1], 'numpy scalar data', source));
  const size = elementSize(dtype);
  if (bytes.length !== size) return fail(source, `numpy ${dtype} scalar needs ${size} bytes, but got ${bytes.length}.`);
  if (bigEndian) swapBytes(bytes, size);
  const view = new DataView(bytes.buffer);
  switch (dtype) {
    case 'float64': return view.getFloat64(0, true);
    case 'float32': return view.getFloat32(0, true);
    case 'int64': return pyInt(view.getBigInt64(0, true));
    case 'int32': return view.getInt32(0, true);
    case 'int16': return view.getInt16(0, true);
    case 'int8': return view.getInt8(0);
    case 'uint8': return view.getUint8(0);
    case 'bool': return view.getUint8(0) !== 0;
    default: return new NumpyArray({ dtype, shape: [], data: bytes });
  }
}

function numpyArrayFrom(data: Uint8Array, dtypeValue: PyValue | undefined, shape: number[], fortran: boolean, source: string): NumpyArray {
  const { dtype, bigEndian } = numpyDType(dtypeValue, source);
  const size = elementSize(dtype);
  const n = numelOf(shape);
  if (data.length !== n * size) return fail(source, `numpy array [${shape.join(', ')}] ${dtype} needs ${n * size} bytes, but the pickle holds ${data.length}.`);
  const bytes = Uint8Array.from(data);
  if (bigEndian) swapBytes(bytes, size);
  if (fortran && shape.length > 1) return fail(source, `Fortran-ordered numpy arrays are not supported (shape [${shape.join(', ')}]).`);
  return new NumpyArray({ dtype, shape, data: bytes });
}

/** Applies a pickle BUILD state to the objects that accept one; anything else is refused. */
export function applyBuild(target: unknown, state: PyValue, source: string): void {
  if (target instanceof PyDict) return; // OrderedDict state: `_metadata` (module versions), not needed here.
  if (target instanceof NumpyDType) {
    const items = state instanceof PyTuple ? state.items : [];
    if (typeof items[1] === 'string') target.byteOrder = items[1];
    return;
  }
  if (target instanceof NumpyArray) {
    // numpy ndarray.__setstate__: (version, shape, dtype, is_fortran, data)
    const items = state instanceof PyTuple ? state.items : fail(source, `numpy array state must be a tuple, but got ${describe(state)}.`);
    const [shape, dtype, fortran, data] = items.length === 5 ? items.slice(1) : items;
    if (Array.isArray(data)) return fail(source, 'numpy arrays of Python objects are refused (object dtype).');
    target.raw = numpyArrayFrom(bytesArg(data, 'numpy array data', source), dtype, intList(shape, 'numpy shape', source), fortran === true, source).raw;
    return;
  }
  if (target instanceof TorchTensor) return; // _rebuild_parameter_with_state: Python attributes only.
  fail(source, `pickle BUILD on ${describe(target as PyValue)} is not allowed.`);
}

/**
 * Resolves a pickle GLOBAL against the allow-list: the data types of PyTorch and nnssl checkpoints and
 * nothing else. Allowed names become inert descriptors or pure data functions; no Python name is ever
 * looked up or run.
 * @throws OpenMindError naming the global and the file for anything else (os.system, builtins.eval, …).
 */
export function resolveGlobal(module: string, name: string, source: string): AllowedCallable | PyGlobal {
  const path = `${module}.${name}`;
  const callable = (f: (args: PyValue[], source: string) => PyValue): AllowedCallable => new AllowedCallable(path, f);
  if (module === 'collections' && name === 'OrderedDict') {
    return callable((args) => {
      const init = args[0];
      const d = new PyDict(undefined, true);
      if (Array.isArray(init)) for (const pair of init) if (pair instanceof PyTuple || Array.isArray(pair)) d.set(...(toPair(pair, source)));
      return d;
    });
  }
  if (module === 'torch._utils') {
    if (name === '_rebuild_tensor_v2' || name === '_rebuild_tensor') return callable((args, src) => rebuildTensor(args, src, name === '_rebuild_tensor_v2'));
    if (name === '_rebuild_parameter' || name === '_rebuild_parameter_with_state') {
      return callable((args, src) => {
        const t = args[0];
        if (!(t instanceof TorchTensor)) return fail(src, `${name} expects a tensor, but got ${describe(t)}.`);
        return new TorchTensor(t.storage, t.offset, t.shape, t.stride, args[1] === true, true);
      });
    }
  }
  if (module === 'torch.nn.parameter' && name === 'Parameter') {
    return callable((args, src) => {
      const t = args[0];
      if (!(t instanceof TorchTensor)) return fail(src, `Parameter expects a tensor, but got ${describe(t)}.`);
      return new TorchTensor(t.storage, t.offset, t.shape, t.stride, args[1] !== false, true);
    });
  }
  if (module === 'torch') {
    if (name === 'Size') return callable((args, src) => new PyTuple(intList(args[0] ?? new PyTuple([]), 'torch.Size', src)));
    if (name === 'device') {
      return callable((args, src) => {
        const [spec, index] = args;
        if (typeof spec !== 'string') return fail(src, `torch.device expects a string, but got ${describe(spec)}.`);
        const [type, idx] = spec.split(':');
        return new PyDevice(type!, typeof index === 'number' ? index : idx !== undefined ? Number(idx) : null);
      });
    }
    if (dtypeOfStorageClass(name) || name === 'UntypedStorage' || TORCH_DTYPE_NAMES.has(name)) return new PyGlobal(module, name);
  }
  if (NUMPY_MULTIARRAY.has(module) && name === 'scalar') return callable(numpyScalar);
  if (NUMPY_MULTIARRAY.has(module) && name === '_reconstruct') {
    return callable((args, src) => {
      if (!(args[0] instanceof PyGlobal) || args[0].name !== 'ndarray') return fail(src, `_reconstruct may only build numpy.ndarray, but got ${describe(args[0])}.`);
      return new NumpyArray({ dtype: 'uint8', shape: [0], data: new Uint8Array(0) });
    });
  }
  if (NUMPY_NUMERIC.has(module) && name === '_frombuffer') {
    // protocol-5 ndarray reduce: (buffer, dtype, shape, order)
    return callable((args, src) => numpyArrayFrom(bytesArg(args[0], 'numpy buffer', src), args[1], intList(args[2], 'numpy shape', src), args[3] === 'F', src));
  }
  if (module === 'numpy' && name === 'ndarray') return new PyGlobal(module, name);
  if (module === 'numpy' && name === 'dtype') {
    return callable((args, src) => (typeof args[0] === 'string' ? new NumpyDType(args[0]) : fail(src, `numpy.dtype expects a type string, but got ${describe(args[0])}.`)));
  }
  if (module === '_codecs' && name === 'encode') {
    // How protocol-2 pickles carry Python 3 bytes: _codecs.encode(<latin-1 str>, 'latin1').
    return callable((args, src) => {
      const [text, encoding] = args;
      if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
        return fail(src, `_codecs.encode is only allowed as encode(str, 'latin1'), but got encoding ${describe(encoding)}.`);
      }
      return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
    });
  }
  if (BUILTINS.has(module)) {
    if (name === 'set' || name === 'frozenset') return callable((args) => new PySet(Array.isArray(args[0]) ? args[0] : [], name === 'frozenset'));
    if (name === 'bytes' || name === 'bytearray') {
      return callable((args, src) => {
        const a = args[0];
        if (a === undefined) return new Uint8Array(0);
        if (Array.isArray(a) && a.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 256)) return Uint8Array.from(a as number[]);
        return a instanceof Uint8Array ? a : fail(src, `${name}() is only allowed on a list of byte values.`);
      });
    }
  }
  throw new OpenMindError(
    `${source}: refused to unpickle: the pickle names the global '${path}', which is not on the allow-list ` +
      `(tensors and storages, torch.Size/device, OrderedDict and plain containers, numpy scalars and arrays). Nothing was executed.`,
  );
}

function toPair(pair: PyTuple | PyValue[], source: string): [PyKey, PyValue] {
  const items = pair instanceof PyTuple ? pair.items : pair;
  if (items.length !== 2) return fail(source, `OrderedDict items must be (key, value) pairs, but got ${items.length} values.`);
  const [k, v] = items;
  return [asKey(k, source), v!];
}

/** A pickled dict key as a JS Map key. */
export function asKey(k: PyValue | undefined, source: string): PyKey {
  if (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return k;
  return fail(source, `dict keys must be str, int, float, bool or None, but got ${describe(k)}.`);
}
