import { OpenMindError } from '@openmind-ssl/core';
import { describe } from '../pickle/allowed-globals.js';
import { PyGlobal, PyTuple, type PyValue, StorageRef } from '../pickle/py-value.js';
import { dtypeOfStorageClass, type TorchDType } from '../torch/torch-dtype.js';

/** A parsed torch.save persistent id: ('storage', torch.<T>Storage, key, location, numel[, view]). */
export interface StorageId {
  dtype: TorchDType;
  key: string;
  location: string;
  numel: number;
  /** Legacy format only: (view key, element offset, view numel) of a view into the root storage. */
  view: { key: string; offset: number; numel: number } | null;
}

/**
 * Checks and decodes a storage persistent id.
 * @throws OpenMindError naming the file for anything but a storage of a supported dtype.
 */
export function parseStorageId(pid: PyValue, source: string): StorageId {
  const items = pid instanceof PyTuple ? pid.items : [];
  const [kind, cls, key, location, numel, view] = items;
  if (kind !== 'storage') throw new OpenMindError(`${source}: persistent id must be a ('storage', …) tuple, but got ${describe(pid)}${typeof kind === 'string' ? ` of kind '${kind}'` : ''}.`);
  if (!(cls instanceof PyGlobal)) throw new OpenMindError(`${source}: storage id names no storage class.`);
  const dtype = cls.name === 'UntypedStorage' ? 'uint8' : dtypeOfStorageClass(cls.name);
  if (!dtype) throw new OpenMindError(`${source}: storage type 'torch.${cls.name}' is not supported.`);
  if (typeof key !== 'string' || typeof location !== 'string' || typeof numel !== 'number' || !Number.isInteger(numel) || numel < 0) {
    throw new OpenMindError(`${source}: malformed storage id (key ${describe(key)}, location ${describe(location)}, numel ${describe(numel)}).`);
  }
  let v: StorageId['view'] = null;
  if (view instanceof PyTuple) {
    const [vk, off, n] = view.items;
    if (typeof vk !== 'string' || typeof off !== 'number' || typeof n !== 'number') throw new OpenMindError(`${source}: malformed storage view metadata.`);
    v = { key: vk, offset: off, numel: n };
  }
  return { dtype, key, location, numel, view: v };
}

/** One StorageRef per (key, dtype): tensors sharing a storage share its bytes, as in PyTorch. */
export class StorageTable {
  readonly refs = new Map<string, StorageRef>();

  get(key: string, dtype: TorchDType, numel: number, location: string): StorageRef {
    const id = `${key}\u0000${dtype}`;
    let ref = this.refs.get(id);
    if (!ref) {
      ref = new StorageRef(key, dtype, numel, location);
      this.refs.set(id, ref);
    }
    return ref;
  }
}
