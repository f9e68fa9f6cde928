import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { openPreprocessedStore, parseArrayMetadata } from '@openmind-ssl/data';

/**
 * The image channels of a preprocessed store: every case's `data` array is [C, d0, d1, d2], and all
 * cases must agree, since one network takes them all. Reads only each array's zarr.json.
 * @throws OpenMindError naming two cases with different channel counts, a case whose array cannot be read, or
 * an empty store.
 */
export async function inputChannelsOf(store: string): Promise<number> {
  const { cases } = openPreprocessedStore(store);
  let first: { id: string; channels: number } | undefined;
  for (const c of cases) {
    const file = join(c.dir, 'data', 'zarr.json');
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new OpenMindError(`--data: case '${c.id}' has no readable image array (${file}: ${e.code ?? e.message}); run preprocessing again`);
    });
    const channels = parseArrayMetadata(JSON.parse(text), file).shape[0]!;
    if (!first) first = { id: c.id, channels };
    else if (channels !== first.channels) {
      throw new OpenMindError(
        `--data: the cases of '${store}' have different channel counts — '${first.id}' has ${first.channels}, '${c.id}' has ${channels}; ` +
          'one network takes every case, so preprocess images with the same channels into one store',
      );
    }
  }
  if (!first) throw new OpenMindError(`--data: the store '${store}' lists no case in its manifest.json`);
  return first.channels;
}
