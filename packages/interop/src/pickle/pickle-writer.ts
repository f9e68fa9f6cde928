import { OpenMindError } from '@openmind-ssl/core';
import { storageClassOf, type TorchDType } from '../torch/torch-dtype.js';
import { encodeLong } from './py-int.js';
import { NumpyArray, NumpyDType, PyDevice, PyDict, PyGlobal, type PyKey, PySet, PyTuple, type PyValue, TorchTensor } from './py-value.js';

/** A tensor to write: which storage it views and how (contiguous views only are produced here). */
export interface TensorSlot {
  storageKey: string;
  dtype: TorchDType;
  storageNumel: number;
  offset: number;
  shape: number[];
  stride: number[];
}

/** Values the writer accepts: plain data plus tensors that the caller has assigned to storages. */
export type WritableValue = PyValue | WritableTensor | WritableValue[] | Map<PyKey, WritableValue>;

/** A tensor placeholder resolved by the writer's `tensorSlot` callback. */
export class WritableTensor {
  constructor(readonly slot: TensorSlot) {}
}

const enc = new TextEncoder();

/**
 * Writes a pickle in protocol 2, the protocol torch.save uses, restricted to opcodes and globals that
 * PyTorch's `weights_only=True` unpickler accepts: storages as persistent ids
 * ('storage', torch.<T>Storage, key, 'cpu', numel), tensors via torch._utils._rebuild_tensor_v2, ordered
 * dicts via collections.OrderedDict. Floats use BINFLOAT (torch ≥ 2.0's weights-only unpickler reads it;
 * torch 1.13's does not know that opcode at all).
 */
export class PickleWriter {
  private readonly chunks: number[] = [];

  /** The complete pickle of `value` (PROTO 2 … STOP). */
  static dump(value: WritableValue): Uint8Array {
    const w = new PickleWriter();
    w.op(0x80, 2);
    w.value(value);
    w.op(0x2e);
    return Uint8Array.from(w.chunks);
  }

  private op(...b: number[]): void {
    for (const x of b) this.chunks.push(x);
  }

  private raw(bytes: Uint8Array): void {
    for (const x of bytes) this.chunks.push(x);
  }

  private u32(v: number): void {
    this.op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }

  private global(module: string, name: string): void {
    this.op(0x63);
    this.raw(enc.encode(`${module}\n${name}\n`));
  }

  private str(s: string): void {
    const b = enc.encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.raw(b);
  }

  private int(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 256) this.op(0x4b, v);
    else if (typeof v === 'number' && v >= 0 && v < 65536) this.op(0x4d, v & 0xff, v >> 8);
    else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      this.op(0x4a);
      this.u32(v >>> 0);
    } else {
      const b = encodeLong(v);
      this.op(0x8a, b.length);
      this.raw(b);
    }
  }

  private float(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    this.op(0x47);
    this.raw(b);
  }

  private tuple(items: WritableValue[]): void {
    if (items.length === 0) return this.op(0x29);
    if (items.length <= 3) {
      for (const x of items) this.value(x);
      return this.op([0x85, 0x86, 0x87][items.length - 1]!);
    }
    this.op(0x28);
    for (const x of items) this.value(x);
    this.op(0x74);
  }

  private entries(entries: Iterable<[WritableValue, WritableValue]>): void {
    let open = false;
    let n = 0;
    for (const [k, v] of entries) {
      // SETITEMS in batches of 1000, as CPython does, so no MARK frame grows without bound.
      if (!open) this.op(0x28);
      open = true;
      this.value(k);
      this.value(v);
      if (++n % 1000 === 0) {
        this.op(0x75);
        open = false;
      }
    }
    if (open) this.op(0x75);
  }

  private tensor(slot: TensorSlot): void {
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.op(0x28);
    // persistent id: ('storage', storage class, key, location, numel)
    this.op(0x28);
    this.str('storage');
    this.global('torch', storageClassOf(slot.dtype));
    this.str(slot.storageKey);
    this.str('cpu');
    this.int(slot.storageNumel);
    this.op(0x74, 0x51);
    this.int(slot.offset);
    this.tuple(slot.shape);
    this.tuple(slot.stride);
    this.op(0x89); // requires_grad False
    this.global('collections', 'OrderedDict');
    this.op(0x29, 0x52); // backward_hooks = OrderedDict()
    this.op(0x74, 0x52);
  }

  private value(v: WritableValue): void {
    if (v === null || v === undefined) return this.op(0x4e);
    if (v === true) return this.op(0x88);
    if (v === false) return this.op(0x89);
    if (typeof v === 'bigint') return this.int(v);
    if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER && !Object.is(v, -0) ? this.int(v) : this.float(v);
    if (typeof v === 'string') return this.str(v);
    if (v instanceof WritableTensor) return this.tensor(v.slot);
    if (v instanceof PyTuple) return this.tuple(v.items);
    if (Array.isArray(v)) {
      this.op(0x5d);
      for (let i = 0; i < v.length; i += 1000) {
        this.op(0x28);
        for (const x of v.slice(i, i + 1000)) this.value(x);
        this.op(0x65);
      }
      return;
    }
    if (v instanceof Map) {
      if (v instanceof PyDict && v.ordered) {
        this.global('collections', 'OrderedDict');
        this.op(0x29, 0x52);
      } else this.op(0x7d);
      return this.entries(v as Map<WritableValue, WritableValue>);
    }
    if (v instanceof Uint8Array) {
      // Python 3 bytes in protocol 2: _codecs.encode(latin-1 text, 'latin1'), as CPython writes them.
      this.global('_codecs', 'encode');
      this.str(Array.from(v, (b) => String.fromCharCode(b)).join(''));
      this.str('latin1');
      return this.op(0x86, 0x52);
    }
    if (v instanceof PyDevice) {
      this.global('torch', 'device');
      this.str(v.toString());
      return this.op(0x85, 0x52);
    }
    if (v instanceof PySet) {
      this.global('__builtin__', v.frozen ? 'frozenset' : 'set');
      this.value(v.items);
      return this.op(0x85, 0x52);
    }
    if (v instanceof PyGlobal) return this.global(v.module, v.name);
    const what = v instanceof TorchTensor ? 'an unresolved TorchTensor' : v instanceof NumpyArray ? 'a numpy array' : v instanceof NumpyDType ? 'a numpy dtype' : typeof v;
    throw new OpenMindError(`pickle writer: cannot write ${what}; convert it to a tensor or plain data first.`);
  }
}
