import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OpenMindError } from '@openmind-ssl/core';
import type { Shape3 } from '../preprocess/volume.js';
import type { CaseProperties } from './case-properties.js';
import { writeSynced, writeZarrArray } from './zarr-array-writer.js';

/** The arrays and facts of one preprocessed image. */
export interface PreprocessedCase {
  /** `[C, d0, d1, d2]` z-scored, resampled image. */
  data: Float32Array;
  shape: [number, number, number, number];
  /** Anonymization (deface) mask `[d0, d1, d2]`, −1 outside the image's non-zero region, or null. */
  anon: Int8Array | null;
  /** Anatomy mask `[d0, d1, d2]`, −1 outside the image's non-zero region, or null. */
  anat: Int8Array | null;
  /** Sampled anatomy voxel coordinates `[n, 3]` (for anatomy-centred crops), or null without an anatomy mask. */
  anatomyLocations: Int32Array | null;
  /** Label volumes of the case (e.g. a segmentation map), `[channels, d0, d1, d2]`, stored under `labels/<name>`. */
  labels?: Record<string, { data: Int8Array | Int32Array; channels: number }>;
  properties: CaseProperties;
}

/** Storage settings of a case. */
export interface CaseStorageOptions {
  /** Image element type on disk. Default 'float32'; 'float16' halves the size (≈3 significant digits). */
  dtype: 'float32' | 'float16';
  /** Image inner chunk (the unit of decoding) per spatial axis. Default [32, 32, 32]. */
  chunkShape: Shape3;
  /** Mask inner chunk. Default [64, 64, 64]: int8 masks compress to almost nothing, so fewer, larger chunks decode faster. */
  maskChunkShape: Shape3;
  /** gzip level 1–9 (0: none). Default 1: most of the gain at a fraction of the time. */
  compressionLevel: number;
}

export const DEFAULT_CASE_STORAGE: CaseStorageOptions = { dtype: 'float32', chunkShape: [32, 32, 32], maskChunkShape: [64, 64, 64], compressionLevel: 1 };

/** Version of the case layout, stored in every group. */
export const CASE_FORMAT_VERSION = 1;

/**
 * Writes a case as a Zarr v3 group folder (`<name>.zarr/`: `zarr.json` with the properties, and arrays
 * `data`, `anon`, `anat`, `anat_locations`). Everything goes into a hidden temporary folder beside the
 * target, is fsynced, and is renamed into place last, so the target either does not exist or is complete:
 * a killed run leaves only a temporary folder, which {@link removeStaleTemps} clears.
 */
export async function writeCase(target: string, c: PreprocessedCase, storage: Partial<CaseStorageOptions> = {}): Promise<void> {
  const options: CaseStorageOptions = { ...DEFAULT_CASE_STORAGE, ...storage };
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(temp);
    const [C, d0, d1, d2] = c.shape;
    const chunk = [1, ...options.chunkShape];
    const level = options.compressionLevel;
    await writeZarrArray(join(temp, 'data'), {
      data: c.data, shape: [C, d0, d1, d2], dtype: options.dtype, chunkShape: chunk, compressionLevel: level,
    });
    for (const [name, mask] of [['anon', c.anon], ['anat', c.anat]] as const) {
      if (!mask) continue;
      await writeZarrArray(join(temp, name), {
        data: mask, shape: [1, d0, d1, d2], dtype: 'int8', chunkShape: [1, ...options.maskChunkShape], compressionLevel: level,
      });
    }
    const labels = Object.entries(c.labels ?? {});
    if (labels.length) {
      await mkdir(join(temp, 'labels'));
      await writeSynced(join(temp, 'labels', 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: {} }));
    }
    for (const [name, label] of labels) {
      if (!/^[A-Za-z0-9_-]+$/.test(name) || name === 'anon' || name === 'anat') {
        throw new OpenMindError(`writeCase "${target}": label name "${name}" must be letters, digits, '_' or '-' and not "anon" or "anat" (the masks' names).`);
      }
      if (label.data.length !== label.channels * d0 * d1 * d2) {
        throw new OpenMindError(`writeCase "${target}": labels["${name}"] must hold channels·d0·d1·d2 = ${label.channels * d0 * d1 * d2} values, but has ${label.data.length}.`);
      }
      await writeZarrArray(join(temp, 'labels', name), {
        data: label.data, shape: [label.channels, d0, d1, d2], dtype: label.data instanceof Int8Array ? 'int8' : 'int32',
        chunkShape: [1, ...options.maskChunkShape], compressionLevel: level,
      });
    }
    if (c.anatomyLocations) {
      const n = c.anatomyLocations.length / 3;
      await writeZarrArray(join(temp, 'anat_locations'), {
        data: c.anatomyLocations, shape: [n, 3], dtype: 'int32', chunkShape: [Math.max(1, n), 3], compressionLevel: level,
      });
    }
    const group = { zarr_format: 3, node_type: 'group', attributes: { openmind: { formatVersion: CASE_FORMAT_VERSION, ...c.properties } } };
    await writeSynced(join(temp, 'zarr.json'), JSON.stringify(group, null, 2));
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    await syncDir(dirname(target));
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** Removes temporary folders a killed writer left beside `target`. Call only while no writer runs on it. */
export async function removeStaleTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  let entries: string[];
  try {
    entries = await readdir(dirname(target));
  } catch {
    return;
  }
  await Promise.all(entries.filter((e) => e.startsWith(prefix) && e.endsWith('.tmp')).map((e) => rm(join(dirname(target), e), { recursive: true, force: true })));
}

/** Flushes a directory entry change (the rename) to disk; best effort where directories cannot be opened. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  }
}
