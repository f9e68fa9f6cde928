import { OpenMindError } from '@openmind-ssl/core';
import { unpickle } from '../pickle/safe-unpickler.js';
import type { PyValue, StorageRef } from '../pickle/py-value.js';
import { elementSize, swapBytes } from '../torch/torch-dtype.js';
import type { ByteSource } from '../zip/byte-source.js';
import { ZipReader } from '../zip/zip-reader.js';
import { parseStorageId, StorageTable } from './storage-ids.js';

/** A zip-format checkpoint after unpickling: storages are read later, only those that are needed. */
export interface OpenedPth {
  root: PyValue;
  storages: StorageTable;
  /** Reads one storage's bytes into `ref.data` (little-endian). */
  load(ref: StorageRef): Promise<void>;
}

/**
 * Opens PyTorch's zip checkpoint format (torch ≥ 1.6): `<archive>/data.pkl` plus one stored entry
 * `<archive>/data/<key>` per storage, `<archive>/version`, and `<archive>/byteorder` ('little' when absent).
 * @throws OpenMindError for a truncated/corrupt archive, a TorchScript archive or a refused pickle.
 */
export async function openZipPth(source: ByteSource): Promise<OpenedPth> {
  const zip = await ZipReader.open(source);
  const names = [...zip.entries.keys()];
  const first = names[0] ?? '';
  const prefix = first.includes('/') ? first.slice(0, first.indexOf('/') + 1) : '';
  // torch.load takes the archive folder from the first record and requires every record inside it.
  const stray = names.find((n) => !prefix || !n.startsWith(prefix));
  if (stray !== undefined && zip.entries.has(`${prefix}data.pkl`)) {
    throw new OpenMindError(`${source.name}: every record of a PyTorch archive must be inside one folder ('${prefix || '<none>'}'), but '${stray}' is not (the file is corrupt).`);
  }
  if (!zip.entries.has(`${prefix}data.pkl`)) {
    const torchscript = names.some((n) => n.startsWith(`${prefix}code/`) || n.endsWith('constants.pkl'));
    throw new OpenMindError(
      torchscript
        ? `${source.name}: this is a TorchScript archive (torch.jit.save), not a torch.save checkpoint; save the state dict with torch.save instead.`
        : `${source.name}: zip archive without '${prefix}data.pkl'; not a PyTorch checkpoint.`,
    );
  }
  // torch.load requires the format version record (at <archive>/version, or .data/version since 2.1).
  const versionEntry = [`${prefix}version`, `${prefix}.data/version`].find((n) => zip.entries.has(n));
  if (!versionEntry) {
    throw new OpenMindError(`${source.name}: zip archive without '${prefix}version'; torch.save always writes it, so the file is damaged or not a PyTorch checkpoint.`);
  }
  // Read as torch does (its local header and CRC are checked like every record's).
  const version = new TextDecoder().decode(await zip.read(versionEntry));
  if (!/^\s*\d+\s*$/.test(version)) throw new OpenMindError(`${source.name}: the '${versionEntry}' record must hold a format version number, but got ${JSON.stringify(version.slice(0, 20))}.`);
  let bigEndian = false;
  if (zip.entries.has(`${prefix}byteorder`)) {
    const order = new TextDecoder().decode(await zip.read(`${prefix}byteorder`)).trim();
    if (order !== 'little' && order !== 'big') throw new OpenMindError(`${source.name}: byteorder record must be 'little' or 'big', but got '${order}'.`);
    bigEndian = order === 'big';
  }
  const storages = new StorageTable();
  const pickle = await zip.read(`${prefix}data.pkl`);
  const { value } = unpickle(pickle, {
    source: `${source.name} (data.pkl)`,
    persistentLoad: (pid) => {
      const id = parseStorageId(pid, source.name);
      return storages.get(id.key, id.dtype, id.numel, id.location);
    },
  });
  return {
    root: value,
    storages,
    async load(ref) {
      const entry = `${prefix}data/${ref.key}`;
      if (!zip.entries.has(entry)) throw new OpenMindError(`${source.name}: storage '${ref.key}' is referenced by the pickle, but the archive has no '${entry}'.`);
      const bytes = await zip.read(entry);
      const size = elementSize(ref.dtype);
      if (bytes.length < ref.numel * size) {
        throw new OpenMindError(
          `${source.name}: storage '${ref.key}' holds ${bytes.length} bytes, but ${ref.numel} ${ref.dtype} elements need ${ref.numel * size} (storage too small or file corrupt).`,
        );
      }
      // Copy only to swap: the bytes may be a view of the caller's buffer.
      const data = bigEndian ? Uint8Array.from(bytes.subarray(0, ref.numel * size)) : bytes.subarray(0, ref.numel * size);
      if (bigEndian) swapBytes(data, size);
      ref.data = data;
    },
  };
}
