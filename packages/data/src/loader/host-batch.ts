import type { HostBatch, HostView } from '@openmind-ssl/core';
import type { PatchBatch } from './build-batch.js';

/** 0/1 of each voxel (a loop: `Uint8Array.from(m, fn)` maps through V8's slow generic path). */
function binary(m: Int8Array | Int32Array): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[i]! > 0 ? 1 : 0;
  return out;
}

/**
 * The loader's batch as a method receives it: masks as 0/1 uint8 (1 = defaced voxel / anatomy voxel),
 * label volumes, views (their `anon`/`anat` masks likewise 0/1, other masks as labels) and targets.
 */
export function toHostBatch(b: PatchBatch): HostBatch {
  const host: HostBatch = {
    image: b.data,
    shape: b.shape,
    masks: { anonymization: binary(b.anon), anatomy: binary(b.anat) },
  };
  if (b.labels) host.labels = b.labels;
  if (b.targets) host.targets = b.targets;
  if (b.views) {
    host.views = {};
    for (const [name, v] of Object.entries(b.views)) {
      const view: HostView = { image: v.data, shape: v.shape, crops: v.crops };
      const masks: NonNullable<HostView['masks']> = {};
      const labels: NonNullable<HostView['labels']> = {};
      for (const [m, mask] of Object.entries(v.masks)) {
        if (m === 'anon') masks.anonymization = binary(mask.data);
        else if (m === 'anat') masks.anatomy = binary(mask.data);
        else labels[m] = mask;
      }
      if (Object.keys(masks).length) view.masks = masks;
      if (Object.keys(labels).length) view.labels = labels;
      host.views[name] = view;
    }
  }
  return host;
}

/** Every buffer of a batch, once each, for a transfer list (a view may share its buffer with `data`). */
export function batchBuffers(b: PatchBatch): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [b.data, b.anon, b.anat];
  for (const l of Object.values(b.labels ?? {})) arrays.push(l.data);
  for (const t of Object.values(b.targets ?? {})) arrays.push(t.data);
  for (const v of Object.values(b.views ?? {})) {
    arrays.push(v.data);
    for (const m of Object.values(v.masks)) arrays.push(m.data);
  }
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
