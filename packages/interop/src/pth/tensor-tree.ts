import { NumpyArray, PyDict, PySet, PyTuple, type PyValue, TorchTensor } from '../pickle/py-value.js';
import { OpenMindError } from '@openmind-ssl/core';
import { materializeStrided, numelOf, type RawTensor } from '../torch/raw-tensor.js';
import { elementSize } from '../torch/torch-dtype.js';

/** Every tensor below `value` with its path of keys/indices from there. */
export function* tensorsIn(value: PyValue, path: (string | number)[] = []): Generator<[(string | number)[], TorchTensor | NumpyArray]> {
  if (value instanceof TorchTensor || value instanceof NumpyArray) yield [path, value];
  else if (value instanceof PyDict) for (const [k, v] of value) yield* tensorsIn(v, [...path, typeof k === 'number' ? k : String(k)]);
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* tensorsIn(v, [...path, i]);
  else if (value instanceof PyTuple || value instanceof PySet) for (const [i, v] of value.items.entries()) yield* tensorsIn(v, [...path, i]);
}

/**
 * The contiguous bytes of a pickled tensor (its storage must have been read).
 * @throws OpenMindError naming `name` when the view does not fit its storage.
 */
export function rawTensorOf(t: TorchTensor | NumpyArray, name: string): RawTensor {
  if (t instanceof NumpyArray) return t.raw;
  const data = t.storage.data;
  if (!data) throw new Error(`${name}: storage '${t.storage.key}' was not read (internal error).`);
  return materializeStrided(data, t.dtype, t.storage.numel, t.offset, t.shape, t.stride, name);
}

/**
 * Checks that a tensor's view (offset, size, stride) lies inside its storage, without copying.
 * @throws OpenMindError naming `name` when it does not (a storage too small for its tensor).
 */
export function checkView(t: TorchTensor, name: string): void {
  if (numelOf(t.shape) === 0) return;
  const last = t.offset + t.shape.reduce((s, d, i) => s + (d - 1) * (t.stride[i] ?? 0), 0);
  const held = Math.min(t.storage.numel, Math.floor((t.storage.data?.length ?? 0) / elementSize(t.dtype)));
  if (t.shape.length !== t.stride.length || t.offset < 0 || t.stride.some((s) => s < 0) || last >= held) {
    throw new OpenMindError(
      `${name}: tensor [${t.shape.join(', ')}] (offset ${t.offset}, stride [${t.stride.join(', ')}]) needs storage elements up to index ${last}, ` +
        `but its ${t.dtype} storage '${t.storage.key}' holds ${held} (storage too small or file corrupt).`,
    );
  }
}

/** A dict entry by string key, or undefined. */
export function dictGet(value: PyValue | undefined, key: string): PyValue | undefined {
  return value instanceof PyDict ? value.get(key) : undefined;
}
