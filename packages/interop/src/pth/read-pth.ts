import { OpenMindError } from '@openmind-ssl/core';
import { type PyValue, type StorageRef, TorchTensor } from '../pickle/py-value.js';
import { type ByteSource, fileSource, memorySource } from '../zip/byte-source.js';
import { openLegacyPth } from './read-legacy-pth.js';
import { openZipPth } from './read-zip-pth.js';
import { checkView, tensorsIn } from './tensor-tree.js';

/** A PyTorch checkpoint read into plain data; its tensors carry their storage bytes. */
export interface PthFile {
  source: string;
  format: 'zip' | 'legacy';
  root: PyValue;
}

/** Options of `readPth`. */
export interface ReadPthOptions {
  /**
   * Picks the part of the checkpoint whose tensors are read (e.g. `root => root.get('network_weights')`):
   * storages used only elsewhere (optimizer state) are never read. Default: everything.
   */
  select?: (root: PyValue) => PyValue | undefined;
}

/**
 * Reads a `.pth` written by torch.save — the zip format (torch ≥ 1.6) or the legacy format — with the
 * safe unpickler: only allow-listed data types are reconstructed and nothing is executed.
 * @param input a file path or the file's bytes.
 * @throws OpenMindError naming the file for a refused global, a truncated or corrupt file, a storage too
 *   small for its tensors, or a file that is not a PyTorch checkpoint.
 */
export async function readPth(input: string | Uint8Array, options: ReadPthOptions = {}): Promise<PthFile> {
  const source = typeof input === 'string' ? await fileSource(input) : memorySource(input);
  try {
    return await readFrom(source, options);
  } finally {
    await source.close();
  }
}

async function readFrom(source: ByteSource, options: ReadPthOptions): Promise<PthFile> {
  const head = source.size >= 4 ? await source.read(0, Math.min(source.size, 512)) : new Uint8Array(0);
  let format: PthFile['format'];
  if (head[0] === 0x50 && head[1] === 0x4b) format = 'zip';
  else if (head[0] === 0x80) format = 'legacy';
  else if (head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar') {
    throw new OpenMindError(`${source.name}: tar-format checkpoint (PyTorch < 0.4) is not supported; re-save it with a current torch.save.`);
  } else throw new OpenMindError(`${source.name}: not a PyTorch checkpoint (neither the zip format nor the legacy pickle format).`);
  const opened = format === 'zip' ? await openZipPth(source) : await openLegacyPth(source);
  const selected = options.select ? options.select(opened.root) : opened.root;
  const needed = new Map<TorchTensor, string>();
  if (selected !== undefined) for (const [path, t] of tensorsIn(selected)) if (t instanceof TorchTensor) needed.set(t, path.join('.'));
  const refs = new Set<StorageRef>([...needed.keys()].map((t) => t.storage));
  for (const ref of refs) if (!ref.data) await opened.load(ref);
  // Every view is checked against its storage now, so a bad file fails here rather than on first use.
  for (const [t, path] of needed) checkView(t, `${source.name}: tensor '${path}'`);
  return { source: source.name, format, root: opened.root };
}
