import { OpenMindError } from '@openmind-ssl/core';
import { describe } from '../pickle/allowed-globals.js';
import { unpickle } from '../pickle/safe-unpickler.js';
import { PyDict, StorageRef } from '../pickle/py-value.js';
import { elementSize, swapBytes, type TorchDType } from '../torch/torch-dtype.js';
import type { ByteSource } from '../zip/byte-source.js';
import type { OpenedPth } from './read-zip-pth.js';
import { parseStorageId, StorageTable } from './storage-ids.js';

const MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/**
 * Opens PyTorch's legacy (pre-1.6, `_use_new_zipfile_serialization=False`) format: five pickles back to
 * back — magic number, protocol version, sys_info, the object, the list of storage keys — followed by
 * each storage as an int64 element count and its raw bytes. The file is read into memory whole (legacy
 * checkpoints are laid out for sequential reading).
 * @throws OpenMindError for a wrong magic number or protocol, a refused pickle, or missing storage bytes.
 */
export async function openLegacyPth(source: ByteSource): Promise<OpenedPth> {
  const name = source.name;
  const bytes = await source.read(0, source.size);
  const magic = unpickle(bytes, { source: name });
  if (magic.value !== MAGIC) throw new OpenMindError(`${name}: not a PyTorch checkpoint (legacy magic number expected, got ${describe(magic.value)}).`);
  const proto = unpickle(bytes, { source: name, start: magic.end });
  if (proto.value !== PROTOCOL_VERSION) throw new OpenMindError(`${name}: legacy checkpoint protocol ${describe(proto.value)} is not supported (expected ${PROTOCOL_VERSION}).`);
  const sys = unpickle(bytes, { source: name, start: proto.end });
  const bigEndian = sys.value instanceof PyDict && sys.value.get('little_endian') === false;
  const storages = new StorageTable();
  // Views (legacy storage slices) resolve to their root storage once that has been read.
  const roots = new Map<string, { dtype: TorchDType; numel: number }>();
  const views: { ref: StorageRef; root: string; offset: number }[] = [];
  const obj = unpickle(bytes, {
    source: name,
    start: sys.end,
    persistentLoad: (pid) => {
      const id = parseStorageId(pid, name);
      const known = roots.get(id.key);
      if (known && known.dtype !== id.dtype) throw new OpenMindError(`${name}: storage '${id.key}' is used with two dtypes (${known.dtype}, ${id.dtype}).`);
      roots.set(id.key, { dtype: id.dtype, numel: id.numel });
      if (!id.view) return storages.get(id.key, id.dtype, id.numel, id.location);
      const ref = storages.get(`${id.key}/${id.view.key}`, id.dtype, id.view.numel, id.location);
      views.push({ ref, root: id.key, offset: id.view.offset });
      return ref;
    },
  });
  const keys = unpickle(bytes, { source: name, start: obj.end });
  if (!Array.isArray(keys.value) || keys.value.some((k) => typeof k !== 'string')) throw new OpenMindError(`${name}: malformed legacy checkpoint (storage key list).`);
  let pos = keys.end;
  const data = new Map<string, Uint8Array>();
  for (const key of keys.value as string[]) {
    const root = roots.get(key);
    if (!root) throw new OpenMindError(`${name}: storage '${key}' is listed but never used (corrupt legacy checkpoint).`);
    if (pos + 8 > bytes.length) throw new OpenMindError(`${name}: truncated legacy checkpoint (storage '${key}' header missing).`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 8);
    const numel = Number(bigEndian ? view.getBigInt64(0, false) : view.getBigInt64(0, true));
    const size = elementSize(root.dtype);
    pos += 8;
    if (numel < root.numel || pos + numel * size > bytes.length) {
      throw new OpenMindError(
        `${name}: storage '${key}' needs ${root.numel} ${root.dtype} elements, but the file holds ${Math.max(0, Math.min(numel, Math.floor((bytes.length - pos) / size)))} (storage too small or file truncated).`,
      );
    }
    const raw = bytes.subarray(pos, pos + numel * size);
    const copy = bigEndian ? Uint8Array.from(raw) : raw;
    if (bigEndian) swapBytes(copy, size);
    data.set(key, copy);
    pos += numel * size;
  }
  for (const ref of storages.refs.values()) {
    const v = views.find((x) => x.ref === ref);
    const rootData = data.get(v ? v.root : ref.key);
    if (!rootData) throw new OpenMindError(`${name}: storage '${v ? v.root : ref.key}' is used but missing from the file.`);
    const size = elementSize(ref.dtype);
    ref.data = v ? rootData.subarray(v.offset * size, (v.offset + ref.numel) * size) : rootData;
  }
  return { root: obj.value, storages, load: async () => undefined };
}
