import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type ArchitectureFactory, createSslMethod, readCheckpoint, Rng, setBackend, Trainer } from '@openmind-ssl/core';
import { adaptPretrainedWeights, fromHostTensor, networkFromAdaptationPlan } from '@openmind-ssl/interop';
import { afterAll, describe, expect, it } from 'vitest';
import { simclrFactory } from '../src/index.js';
import { cycledViewBatches } from './store.js';

const backend = new OnnxRuntimeBackend({ spinning: false });
await backend.init();
setBackend(backend);
afterAll(() => backend.close());

// The fine-tuning path: a SimCLR checkpoint written by the trainer, read back, and its stem and encoder
// selected by the adaptation plan's keys into a fresh downstream network built from that plan (nnU-Net's
// pretrained fine-tuning, nnssl-spec §6.5) — every encoder and stem weight must arrive unchanged.
describe('a SimCLR checkpoint in the fine-tuning path', () => {
  for (const [name, factory, preset, config] of [
    ['ResEnc', resencFactory, 'resenc-tiny', { lr: 0.03 }],
    ['Primus', primusFactory, 'primus-tiny', { warmupEpochs: 0, lr: 1e-3 }],
  ] as [string, ArchitectureFactory, string, Record<string, unknown>][]) {
    it(`should load its ${name} encoder by the adaptation plan's keys into a fresh network`, async () => {
      const method = createSslMethod(simclrFactory, {
        config: { projectorDim: 32, augment: false, ...config }, architecture: factory, preset, inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(2),
      });
      const runDir = mkdtempSync(join(tmpdir(), 'om-simclr-ft-'));
      await new Trainer({ method, train: cycledViewBatches(1)(2, 2, [16, 16, 16], method), epochs: 1, iterationsPerEpoch: 2, runDir, seed: 2, checkpointEvery: 2 }).run();
      const ckpt = await readCheckpoint(join(runDir, 'checkpoints', 'step-00000002'));
      const plan = method.adaptationPlan();
      const fresh = networkFromAdaptationPlan(plan, [factory], { outChannels: 3, patchSize: [16, 16, 16], rng: new Rng(99) });
      const raw = new Map([...ckpt.weights].map(([k, t]) => [k, fromHostTensor(t)]));
      const report = adaptPretrainedWeights(fresh, raw, { plan, architecture: factory, mode: 'encoder' });
      const selected = [...ckpt.weights.keys()].filter((k) => [plan.key_to_encoder, plan.key_to_stem].some((p) => k.startsWith(`${p}.`)));
      expect(selected.length).toBeGreaterThan(4);
      expect(report.loaded.sort()).toEqual(selected.sort());
      const after = fresh.stateDict();
      for (const k of selected) expect(await after.get(k)!.floats(), k).toEqual(Float32Array.from(ckpt.weights.get(k)!.data as Float32Array));
      // The projector stays behind: it is not part of the downstream network.
      expect([...after.keys()].some((k) => k.startsWith('projector.'))).toBe(false);
    }, 300_000);
  }
});
