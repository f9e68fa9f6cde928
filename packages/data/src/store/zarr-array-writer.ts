import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeShard } from './shard-codec.js';
import { arrayMetadata, shardKey, type StoreArray, type StoreDType } from './zarr-metadata.js';

/** What {@link writeZarrArray} stores. */
export interface ZarrArrayInput {
  /** Values, row-major; float16 arrays are given as float32. */
  data: StoreArray;
  shape: readonly number[];
  dtype: StoreDType;
  /** Inner chunk shape (same rank as `shape`): the unit a reader decodes. */
  chunkShape: readonly number[];
  /** gzip level 1–9, 0 for none. */
  compressionLevel: number;
  attributes?: Record<string, unknown>;
  dimensionNames?: readonly string[];
}

/**
 * Writes a Zarr v3 array folder: `zarr.json` plus one shard file `c/0/…/0`, both fsynced. The folder is
 * meant to live inside a temporary case folder that is renamed into place when complete, so no partial
 * array is ever visible under its final name.
 */
export async function writeZarrArray(dir: string, input: ZarrArrayInput): Promise<void> {
  const { data, shape, dtype, chunkShape, compressionLevel } = input;
  const meta = arrayMetadata(shape, dtype, chunkShape, compressionLevel, input.attributes ?? {}, input.dimensionNames);
  const key = shardKey(shape.length);
  await mkdir(join(dir, ...key.split('/').slice(0, -1)), { recursive: true });
  await writeSynced(join(dir, 'zarr.json'), JSON.stringify(meta, null, 2));
  await writeSynced(join(dir, ...key.split('/')), encodeShard(data, shape, dtype, chunkShape, compressionLevel));
}

/** Writes a file and fsyncs it before closing. */
export async function writeSynced(file: string, content: Uint8Array | string): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
