import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createRuntime, OpenMindError, parseConfig, Rng, setBackend, TaskId, tensor, validatePlugin } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { presetAdaptationPlan } from '../test/support/plans.js';
import plugin from './index.js';
import { writeTestDataset } from './testing/write-dataset.js';

setBackend(new ReferenceBackend());

describe('segmentation task plugin', () => {
  it('should be a valid plugin that binds the task under TaskId as "segmentation"', () => {
    expect(() => validatePlugin(plugin)).not.toThrow();
    const rt = createRuntime({ plugins: [plugin] });
    expect(rt.resolve(TaskId, 'segmentation').id).toBe('segmentation');
  });

  it('should fill defaults and reject a bad option naming the field', () => {
    const schema = createRuntime({ plugins: [plugin] }).resolve(TaskId, 'segmentation').configSchema;
    expect(parseConfig('segmentation', schema, {})).toEqual({ schedule: 'warm-up', batchDice: false, ignoreLabel: null, forkSawtooth: false });
    expect(() => parseConfig('segmentation', schema, { schedule: 'sawtoth' })).toThrow(OpenMindError);
    expect(() => parseConfig('segmentation', schema, { schedule: 'sawtoth' })).toThrow(/schedule/);
  });

  it("should open an nnU-Net raw dataset and build a network whose loss and pseudo-Dice run on it", async () => {
    const factory = createRuntime({ plugins: [plugin] }).resolve(TaskId, 'segmentation');
    const dataset = await factory.openDataset(await writeTestDataset());
    const task = factory.create({
      config: parseConfig('segmentation', factory.configSchema, {}), plan: presetAdaptationPlan(resencFactory, 'resenc-tiny', [8, 8, 8]),
      architecture: resencFactory, preset: 'resenc-tiny', dataset, patchSize: [8, 8, 8], rng: new Rng(0),
    });
    const x = tensor(new Float32Array(dataset.inChannels * 512).fill(0.5), [1, dataset.inChannels, 8, 8, 8]);
    const out = task.network.forward(x);
    expect(out.shape).toEqual([1, dataset.outputs, 8, 8, 8]);
    const target = tensor(new Int32Array(512), [1, 8, 8, 8], { dtype: 'int32' });
    expect(Number.isFinite(await task.loss(out, target).item())).toBe(true);
    const metrics = task.metrics();
    await metrics.update(out, target);
    expect(Object.keys(metrics.compute())).toContain('mean_fg_dice');
  });
});
