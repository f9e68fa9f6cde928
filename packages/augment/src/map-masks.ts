import type { Sample } from '@openmind-ssl/core';
import type { LabelArray } from './types.js';

type Masks = NonNullable<Sample['masks']>;

/** Applies `fn` to every mask volume, keeping names and channel counts; undefined stays undefined. */
export function mapMasks(masks: Sample['masks'], fn: (data: LabelArray, channels: number) => LabelArray): Masks | undefined {
  if (!masks) return undefined;
  const out: Masks = {};
  for (const [name, mask] of Object.entries(masks)) out[name] = { data: fn(mask.data, mask.channels), channels: mask.channels };
  return out;
}
