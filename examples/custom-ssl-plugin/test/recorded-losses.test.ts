import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import primusPlugin from '@openmind-ssl/arch-primus';
import resencPlugin from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { ArchitectureId, type Backend, createRuntime, createSslMethod, Rng, setBackend, SSLMethodId, Trainer } from '@openmind-ssl/core';
import maePlugin from '@openmind-ssl/ssl-mae';
import { ReferenceBackend, syntheticBatches } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import rotationPlugin from '../src/index.js';

/**
 * Losses of short fixed-seed runs, recorded on commit 8f93c5a (before the SSL-method contract v2) and
 * re-recorded once when core's `new Rng([seed, step, …])` began hashing its tuple (the Trainer's per-step
 * generators had drawn ≈ 0 first, so e.g. the rotation labels were nearly constant): MAE on a CNN, MAE on
 * Primus and this rotation plugin must keep training exactly as recorded.
 * Each run: the plugin resolved by name from a runtime, 4 Trainer steps on synthetic batches (seed 7,
 * batch 2, 16³), one epoch. Tolerances: 1e-5 relative on the float64 reference backend, 1e-4 on ONNX
 * Runtime (float32; its thread pool may reorder sums). `OPENMIND_RECORD=1` prints the losses of a run.
 */
interface RecordedRun {
  plugin: unknown;
  arch: unknown;
  family: string;
  preset: string;
  config: Record<string, unknown>;
  /** Recorded losses per backend (the reference backend only where it is quick: its plain-loop convolutions take ~50 s for a resenc run). */
  losses: { reference?: number[]; onnxruntime: number[] };
}

const RUNS: Record<string, RecordedRun> = {
  'mae on resenc-tiny': {
    plugin: maePlugin, arch: resencPlugin, family: 'resenc', preset: 'resenc-tiny', config: { blockSize: 4 },
    losses: { onnxruntime: [1.0279667377471924, 0.7924544811248779, 0.7368761897087097, 0.6198750138282776] },
  },
  'mae on primus-tiny': {
    plugin: maePlugin, arch: primusPlugin, family: 'primus', preset: 'primus-tiny', config: { warmupEpochs: 0, lr: 1e-3 },
    losses: {
      reference: [1.2132817506790161, 1.3328698873519897, 1.0866962671279907, 1.1626302003860474],
      onnxruntime: [1.2132817506790161, 1.3328702449798584, 1.0866951942443848, 1.1626288890838623],
    },
  },
  'rotation on resenc-tiny': {
    plugin: rotationPlugin, arch: resencPlugin, family: 'resenc', preset: 'resenc-tiny', config: { lr: 3e-3 },
    losses: { onnxruntime: [1.4407227039337158, 1.511660099029541, 0.9116078615188599, 2.018627405166626] },
  },
};

const STEPS = 4;
const SEED = 7;
const PATCH = [16, 16, 16] as const;

async function lossesOf(run: RecordedRun, backend: Backend): Promise<number[]> {
  await backend.init();
  setBackend(backend);
  const rt = createRuntime({ backend, plugins: [run.plugin, run.arch] });
  const name = (run.plugin as { meta: { name: string } }).meta.name;
  const method = createSslMethod(rt.resolve(SSLMethodId, name), {
    config: run.config, architecture: rt.resolve(ArchitectureId, run.family), preset: run.preset, inChannels: 1, patchSize: PATCH,
    rng: new Rng(SEED),
  });
  const losses: number[] = [];
  await new Trainer({
    method, train: syntheticBatches(SEED, 2, PATCH), epochs: 1, iterationsPerEpoch: STEPS, checkpointEvery: STEPS,
    runDir: mkdtempSync(join(tmpdir(), 'om-recorded-')), seed: SEED,
    onEvent: (e) => e.type === 'step' && losses.push(e.loss),
  }).run();
  await backend.close();
  return losses;
}

function expectClose(actual: number[], expected: number[], relTol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i]!) / Math.abs(expected[i]!), `step ${i}: ${a} vs recorded ${expected[i]}`).toBeLessThan(relTol);
  });
}

describe('losses recorded before the SSL-method contract v2', () => {
  for (const [title, run] of Object.entries(RUNS)) {
    it(`should give the recorded losses for ${title} on onnxruntime (1e-4 relative)`, async () => {
      const losses = await lossesOf(run, new OnnxRuntimeBackend({ spinning: false }));
      if (process.env['OPENMIND_RECORD']) console.log(title, 'onnxruntime', JSON.stringify(losses));
      expectClose(losses, run.losses.onnxruntime, 1e-4);
    }, 300_000);
    if (run.losses.reference) {
      const recorded = run.losses.reference;
      it(`should give the recorded losses for ${title} on the float64 reference backend (1e-5 relative)`, async () => {
        const losses = await lossesOf(run, new ReferenceBackend());
        if (process.env['OPENMIND_RECORD']) console.log(title, 'reference', JSON.stringify(losses));
        expectClose(losses, recorded, 1e-5);
      }, 600_000);
    }
  }
});
