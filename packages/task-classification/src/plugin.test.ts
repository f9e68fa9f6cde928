import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { adaptationPlanOf, createRuntime, parseConfig, Rng, setBackend, TaskId, tensor, validatePlugin } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import plugin, { classificationConfigSchema } from './index.js';
import { generateClassificationDataset } from './synth/synth-classification.js';

setBackend(new ReferenceBackend());

describe('classification task plugin', () => {
  it('binds TaskId "classification" and builds a task from a plan and a dataset: logits, loss and metrics', async () => {
    validatePlugin(plugin);
    const rt = createRuntime({ plugins: [plugin] });
    const factory = rt.resolve(TaskId, 'classification');
    expect(factory.configSchema).toBe(classificationConfigSchema);
    const config = parseConfig('classification', classificationConfigSchema, { cropSize: [16, 16, 16], labelSmoothing: 0.2 });
    expect(config.lr).toBe(1e-4);
    expect(config.weightDecay).toBe(1e-2);
    expect(config.warmupEpochs).toBe(20);
    expect(() => parseConfig('classification', factory.configSchema, { finetune: 'partial' })).toThrow(/finetune/);
    const root = await mkdtemp(join(tmpdir(), 'cls-plugin-'));
    try {
      await generateClassificationDataset(root, { cases: 4, size: 12, seed: 0 });
      const dataset = await factory.openDataset(root);
      expect(dataset.outputs).toBe(2);
      const patch = [16, 16, 16] as const;
      const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
      const task = factory.create({ config, plan, architecture: resencFactory, preset: 'resenc-tiny', dataset, patchSize: patch, rng: new Rng(1) });
      const logits = task.network.forward(tensor(new Float32Array(2 * 16 ** 3).fill(0.5), [2, 1, 16, 16, 16]));
      expect(logits.shape).toEqual([2, 2]);
      const target = tensor(Int32Array.of(0, 1), [2], { dtype: 'int32' });
      const loss = await task.loss(logits, target).item();
      expect(Number.isFinite(loss)).toBe(true);
      const m = task.metrics();
      await m.update(logits, target);
      expect(Object.keys(m.compute())).toEqual(expect.arrayContaining(['balancedAccuracy', 'balancedAccuracyReference', 'aurocMacro', 'averagePrecisionMacro', 'f1Macro']));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
