// Checkpoints of MAE and of the contrastive methods (SimCLR, VoCo) load into the classification network by
// their adaptation plan's keys: every encoder and stem key takes the checkpoint's value, the head keeps
// its fresh initialisation, on ResEnc and Primus.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { type ArchitectureFactory, createSslMethod, Rng, saveCheckpoint, setBackend, type SSLMethodFactory } from '@openmind-ssl/core';
import { readPretrainedCheckpoint } from '@openmind-ssl/interop';
import { maeFactory } from '@openmind-ssl/ssl-mae';
import { simclrFactory } from '@openmind-ssl/ssl-simclr';
import { simmimFactory } from '@openmind-ssl/ssl-simmim';
import { vocoFactory } from '@openmind-ssl/ssl-voco';
import { buildClassifier, loadPretrainedClassifier } from '@openmind-ssl/task-classification';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';

setBackend(new ReferenceBackend());

const cases: { method: SSLMethodFactory<unknown>; arch: ArchitectureFactory; preset: string }[] = [
  ...[maeFactory, simclrFactory, vocoFactory].map((method) => ({ method: method as SSLMethodFactory<unknown>, arch: resencFactory, preset: 'resenc-tiny' })),
  ...[simmimFactory, simclrFactory, vocoFactory].map((method) => ({ method: method as SSLMethodFactory<unknown>, arch: primusFactory, preset: 'primus-tiny' })),
];

describe('a pre-training checkpoint of a reconstruction and a contrastive method in the classifier', () => {
  it.each(cases.map((c) => [`${c.method.id} on ${c.preset}`, c] as const))('%s: encoder and stem take the checkpoint\'s values, the head stays fresh', async (_, c) => {
    const patch: [number, number, number] = [32, 32, 32];
    const pretrainPlan = { configurations: { onemmiso: { spacing: [1, 1, 1], patch_size: patch } } };
    const method = createSslMethod(c.method, { config: {}, architecture: c.arch, preset: c.preset, inChannels: 1, patchSize: patch, rng: new Rng(7), pretrainPlan });
    const dir = join(mkdtempSync(join(tmpdir(), 'om-method-cls-')), 'step-00000001');
    const plan = method.adaptationPlan();
    await saveCheckpoint(dir, method.network, undefined, { epoch: 1, step: 1, rng: { seed: 0, step: 1 }, config: {}, adaptationPlan: plan, metrics: {} });

    const pretrained = await readPretrainedCheckpoint(dir);
    const options = { classes: 2, inChannels: 1, patchSize: patch, dropout: 0.2 };
    const built = buildClassifier(pretrained.plan, [resencFactory, primusFactory], { ...options, rng: new Rng(99) });
    const fresh = buildClassifier(pretrained.plan, [resencFactory, primusFactory], { ...options, rng: new Rng(99) }).network.stateDict();
    const load = loadPretrainedClassifier(built, pretrained);
    const target = built.network.stateDict();
    const encoder = [...target.keys()].filter((k) => k.startsWith(`${plan.key_to_encoder}.`) || k.startsWith(`${plan.key_to_stem}.`));
    expect(encoder.length).toBeGreaterThan(4);
    expect(new Set(load.report.loaded)).toEqual(new Set(encoder));
    expect([...target.keys()].filter((k) => !encoder.includes(k)).sort()).toEqual(['head.fc.bias', 'head.fc.weight']);
    const source = method.network.stateDict();
    for (const key of encoder) {
      const from = [...source.entries()].find(([k]) => k === key || k.endsWith(`.${key}`));
      expect(from, `${key} in the method's network`).toBeDefined();
      expect(Array.from(await target.get(key)!.data()), key).toEqual(Array.from(await from![1].data()));
    }
    for (const key of ['head.fc.weight', 'head.fc.bias']) expect(Array.from(await target.get(key)!.data()), key).toEqual(Array.from(await fresh.get(key)!.data()));
  }, 120_000);
});
