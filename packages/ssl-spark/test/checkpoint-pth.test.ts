import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, Rng, setBackend, Trainer } from '@openmind-ssl/core';
import { convertCheckpoint, loadNnsslWeights, rawValues, readNnsslCheckpoint } from '@openmind-ssl/interop';
import { syntheticBatches } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type SparkMethod, sparkFactory } from '../src/index.js';

const backend = new OnnxRuntimeBackend({ spinning: false });
await backend.init();
setBackend(backend);
afterAll(() => backend.close());

const patch = [16, 16, 16] as const;

describe('a SparK checkpoint exported to .pth', () => {
  it('should load into the plain ResEnc with the trained encoder, under both of DNA\'s alias names', async () => {
    const method = createSslMethod(sparkFactory, {
      config: { blockSize: 4, lr: 5e-2 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: patch, rng: new Rng(2),
    }) as SparkMethod;
    const runDir = mkdtempSync(join(tmpdir(), 'om-spark-pth-'));
    await new Trainer({ method, train: syntheticBatches(2, 2, patch), epochs: 1, iterationsPerEpoch: 3, runDir, seed: 2 }).run();
    const trained = method.network.stateDict();
    const checkpoints = join(runDir, 'checkpoints');
    const last = readdirSync(checkpoints).filter((d) => d.startsWith('step-')).sort().at(-1)!;
    const pth = join(runDir, 'export', 'checkpoint_final.pth');
    await convertCheckpoint(join(checkpoints, last), pth, { architectures: [resencFactory] });

    // nnssl's defect does not arise: one tensor per layer, written under `conv` and `all_modules.0` alike.
    const { weights, plan } = await readNnsslCheckpoint(pth);
    const stem = await trained.get('encoder.stem.convs.0.conv.weight')!.floats();
    expect(rawValues(weights.get('encoder.stem.convs.0.conv.weight')!)).toEqual(Array.from(stem));
    expect(rawValues(weights.get('encoder.stem.convs.0.all_modules.0.weight')!)).toEqual(Array.from(stem));
    expect(plan?.key_to_encoder).toBe('encoder.stages');
    expect(plan?.keys_to_in_proj).toEqual(['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0']);

    // The downstream network is rebuilt from the plan and takes every encoder and stem value as trained.
    const plain = resencFactory.fromAdaptationPlan(plan!, { outChannels: 2, rng: new Rng(9) });
    const fresh = plain.stateDict();
    const encoderKeys = [...fresh.keys()].filter((k) => k.startsWith('encoder.'));
    const before = await fresh.get('encoder.stages.1.blocks.0.conv1.conv.weight')!.floats();
    const { report } = await loadNnsslWeights(plain, pth, { architecture: resencFactory });
    // Both names of each layer held the same (trained) value, so no alias group disagreed.
    expect(report.aliasConflicts).toEqual([]);
    expect(report.aliases.length).toBeGreaterThan(0);
    const loaded = plain.stateDict();
    expect(encoderKeys.length).toBeGreaterThan(20);
    for (const key of encoderKeys) {
      expect(Array.from(await loaded.get(key)!.floats()), key).toEqual(Array.from(await trained.get(key)!.floats()));
    }
    expect(Array.from(await loaded.get('encoder.stages.1.blocks.0.conv1.conv.weight')!.floats())).not.toEqual(Array.from(before));
  }, 300_000);
});
