import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { parseArrayMetadata } from '../store/zarr-metadata.js';
import { openPreprocessedStore } from './open-store.js';

/** Options of {@link checkStoreConsistency}. */
export interface StoreConsistencyOptions {
  /** Channels the network takes: every case must have exactly this many. Default: whatever the cases agree on. */
  channels?: number;
}

/** What a consistent store holds. */
export interface StoreConsistency {
  cases: number;
  channels: number;
  /** Spatial rank of the image arrays (always 3 for stores this package writes). */
  spatialRank: number;
}

const LISTED = 5;

function listCases(ids: string[]): string {
  return `${ids.slice(0, LISTED).join(', ')}${ids.length > LISTED ? ` and ${ids.length - LISTED} more` : ''}`;
}

/**
 * Checks, before the first training step, that every case of a preprocessed store can be batched with
 * every other: its image array's metadata is readable and every case has the same channel count (and
 * the count the network takes, when given). It reads only each case's `data/zarr.json`, so it is cheap.
 * @param dir the configuration folder (with manifest.json)
 * @throws OpenMindError naming the store and the cases that disagree (grouped by channel count), or the
 *   cases whose array metadata cannot be read.
 */
export function checkStoreConsistency(dir: string, options: StoreConsistencyOptions = {}): StoreConsistency {
  const store = openPreprocessedStore(dir);
  if (store.cases.length === 0) throw new OpenMindError(`store "${dir}": the manifest lists no case; preprocess a dataset with at least one valid image.`);
  const byChannels = new Map<number, string[]>();
  const unreadable: string[] = [];
  let spatialRank = 3;
  for (const c of store.cases) {
    const file = join(c.dir, 'data', 'zarr.json');
    try {
      const meta = parseArrayMetadata(JSON.parse(readFileSync(file, 'utf8')), file);
      spatialRank = meta.shape.length - 1;
      const channels = meta.shape[0]!;
      byChannels.set(channels, [...(byChannels.get(channels) ?? []), c.id]);
    } catch (err) {
      unreadable.push(`${c.id} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    }
  }
  if (unreadable.length) {
    throw new OpenMindError(`store "${dir}": ${unreadable.length} case(s) have no readable image array: ${listCases(unreadable)}.\nHint: run 'openmind preprocess' again on the same --out; it redoes incomplete cases.`);
  }
  const groups = [...byChannels.entries()].sort((a, b) => b[1].length - a[1].length);
  const want = options.channels ?? groups[0]![0];
  const wrong = groups.filter(([ch]) => ch !== want);
  if (wrong.length) {
    const detail = wrong.map(([ch, ids]) => `${ids.length} case(s) have ${ch} channel(s): ${listCases(ids)}`).join('; ');
    throw new OpenMindError(
      `store "${dir}": every case must have ${want} channel(s)${options.channels !== undefined ? ' (what the network takes)' : ''}, but ${detail}.\nHint: a 4-D series stored as one multi-channel case is the usual cause; preprocess the raw data again, which splits 4-D images into 3-D volumes (--4d split) or leaves them out (--4d refuse).`,
    );
  }
  return { cases: store.cases.length, channels: want, spatialRank };
}
