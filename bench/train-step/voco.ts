// VoCo on ResEnc: per image a 4×4×1 grid of base crops and 4 target crops of the crop size (64³) with their
// overlap fractions (made by the loader); all crops through the encoder in one pass, stages pooled into the
// 2048-wide projector; prediction loss (base embeddings detached) + regularisation loss; SGD, no clip
// (nnssl). One image per step: its 20 crops are already 2.5× a SimCLR step's 8 at batch 2.
// Reference: bench/train_step_voco_ref.py.
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { vocoFactory } from '@openmind-ssl/ssl-voco';
import { type MethodRow, normalValues, voxels } from './method-row.js';

const BASES = 16;
const TARGETS = 4;

/** Overlap fractions [B, T, N]: each target inside 1–4 base crops, its fractions summing to 1. */
function overlaps(images: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(images * TARGETS * BASES);
  for (let t = 0; t < images * TARGETS; t++) {
    const hit = Array.from(rng.permutation(BASES).slice(0, 1 + rng.int(0, 4)));
    const w = hit.map(() => rng.uniformIn(0.1, 1));
    const total = w.reduce((a, b) => a + b, 0);
    hit.forEach((b, i) => { out[t * BASES + b] = w[i]! / total; });
  }
  return out;
}

export const vocoRow: MethodRow = {
  name: 'voco', preset: 'resenc-small', size: 64, batch: 1, reference: 'train_step_voco_ref.py',
  describe: `per image ${BASES} base (4×4×1 grid) + ${TARGETS} target 64³ crops through the encoder; projector 2048; VoCo prediction + regularisation loss; SGD 1e-2 Nesterov, no clip`,
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(vocoFactory, { config: {}, architecture: resencFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => {
        const base = { image: normalValues(batch * BASES * voxels(size), 2 * s), shape: [batch * BASES, 1, size, size, size] as const, crops: BASES };
        const target = { image: normalValues(batch * TARGETS * voxels(size), 2 * s + 1), shape: [batch * TARGETS, 1, size, size, size] as const, crops: TARGETS };
        return {
          image: base.image, shape: base.shape, views: { base, target },
          targets: { overlaps: { data: overlaps(batch, s), shape: [batch, TARGETS, BASES], dtype: 'float32' as const } },
        };
      },
    };
  },
};
