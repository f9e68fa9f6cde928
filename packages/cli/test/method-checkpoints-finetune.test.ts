// Every pre-training method's checkpoint loads into the segmentation fine-tuning network by its adaptation
// plan's keys: the encoder and stem take the checkpoint's values exactly, on ResEnc and (where the method
// has it) Primus.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { type ArchitectureFactory, createSslMethod, Rng, saveCheckpoint, setBackend, type SSLMethodFactory } from '@openmind-ssl/core';
import { maeFactory } from '@openmind-ssl/ssl-mae';
import { modelsGenesisFactory } from '@openmind-ssl/ssl-models-genesis';
import { simclrFactory } from '@openmind-ssl/ssl-simclr';
import { simmimFactory } from '@openmind-ssl/ssl-simmim';
import { sparkFactory } from '@openmind-ssl/ssl-spark';
import { swinunetrFactory } from '@openmind-ssl/ssl-swinunetr';
import { vocoFactory } from '@openmind-ssl/ssl-voco';
import { volumeFusionFactory } from '@openmind-ssl/ssl-volume-fusion';
import { buildSegmentationNetwork, loadPretrainedEncoder, readPretrainedCheckpoint, type SegmentationPlan } from '@openmind-ssl/task-segmentation';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';

setBackend(new ReferenceBackend());

const cases: { method: SSLMethodFactory<unknown>; arch: ArchitectureFactory; preset: string }[] = [
  ...[maeFactory, sparkFactory, modelsGenesisFactory, volumeFusionFactory, simclrFactory, vocoFactory, swinunetrFactory].map((method) => ({ method: method as SSLMethodFactory<unknown>, arch: resencFactory, preset: 'resenc-tiny' })),
  ...[simmimFactory, modelsGenesisFactory, volumeFusionFactory, simclrFactory, vocoFactory, swinunetrFactory].map((method) => ({ method: method as SSLMethodFactory<unknown>, arch: primusFactory, preset: 'primus-tiny' })),
];

describe('a pre-training checkpoint of every method in the segmentation fine-tuning path', () => {
  it.each(cases.map((c) => [`${c.method.id} on ${c.preset}`, c] as const))('%s: encoder and stem load with the checkpoint\'s values', async (_, c) => {
    const patch: [number, number, number] = [32, 32, 32];
    // As `openmind pretrain` runs it on a store preprocessed by `openmind preprocess` (nnsslPlans.json beside it).
    const pretrainPlan = { configurations: { onemmiso: { spacing: [1, 1, 1], patch_size: patch } } };
    const method = createSslMethod(c.method, { config: {}, architecture: c.arch, preset: c.preset, inChannels: 1, patchSize: patch, rng: new Rng(7), pretrainPlan });
    const dir = join(mkdtempSync(join(tmpdir(), 'om-method-ckpt-')), 'step-00000001');
    const plan = method.adaptationPlan();
    await saveCheckpoint(dir, method.network, undefined, { epoch: 1, step: 1, rng: { seed: 0, step: 1 }, config: {}, adaptationPlan: plan, metrics: {} });

    const pretrained = await readPretrainedCheckpoint(dir);
    const segPlan: SegmentationPlan = {
      adaptationPlan: pretrained.plan, patchSize: patch, spacingMode: 'no-resample', spacing: null, transpose: [0, 1, 2], channelNames: ['MR'],
      normalization: ['zscore'], useMaskForNorm: [false], labels: { background: 0, lesion: 1 }, numClasses: 2, ignoreLabel: null, batchDice: false, batchSize: 2, fileEnding: '.nii.gz',
    };
    const { network, factory } = buildSegmentationNetwork(segPlan, [resencFactory, primusFactory], { rng: new Rng(99), deepSupervision: false });
    loadPretrainedEncoder(network, pretrained, factory);
    const source = method.network.stateDict();
    const target = network.stateDict();
    const transferred = [...target.keys()].filter((k) => k.startsWith(`${plan.key_to_encoder}.`) || k.startsWith(`${plan.key_to_stem}.`));
    expect(transferred.length).toBeGreaterThan(0);
    for (const key of transferred) {
      const from = [...source.entries()].find(([k]) => k === key || k.endsWith(`.${key}`));
      expect(from, `${key} in the method's network`).toBeDefined();
      expect(Array.from(await target.get(key)!.data()), key).toEqual(Array.from(await from![1].data()));
    }
  }, 120_000);
});
