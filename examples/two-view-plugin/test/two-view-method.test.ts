import { existsSync } from 'node:fs';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, Rng, setBackend, trainingStep } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { TwoViewTurn, twoViewFactory } from '../src/index.js';
import { viewBatches } from './store.js';

const backend = new OnnxRuntimeBackend();
await backend.init();
const engine = setBackend(backend);
afterAll(() => backend.close());

const patch = [16, 16, 16] as const;
const make = (config: Record<string, unknown> = {}) => createSslMethod(twoViewFactory, {
  config, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: patch, rng: new Rng(0),
}) as TwoViewTurn;

describe('TwoViewTurn', () => {
  it('should start its teacher as a copy of the student and keep it out of the optimizer', async () => {
    const method = make();
    const net = method.network;
    const student = net.student.stateDict();
    for (const [k, t] of net.teacher.stateDict()) expect(await t.data(), k).toEqual(await student.get(k)!.data());
    const recipe = method.recipe();
    const trained = new Set(recipe.optimizer.groups.flatMap((g) => g.params));
    expect(net.teacher.parameters().some((t) => trained.has(t))).toBe(false);
    expect(net.teacher.parameters().every((t) => !t.requiresGrad)).toBe(true);
    expect([...net.student.parameters(), ...net.head.parameters()].every((t) => trained.has(t))).toBe(true);
  });

  it('should move the teacher by EMA after an update: teacher ← m·teacher + (1 − m)·student', async () => {
    const method = make({ momentum: 0.75, lr: 1e-2 });
    const net = method.network;
    const source = viewBatches(0, 2, patch, method);
    try {
      const batch = (await source.batches(0).next()).value!;
      expect(Object.keys(batch.views!)).toEqual(['a', 'b']);
      expect(batch.targets!['turn']).toMatchObject({ shape: [2, 1], dtype: 'int32' });
      const before = await Promise.all(net.teacher.parameters().map((t) => t.floats()));
      const recipe = method.recipe();
      const loss = await trainingStep(method, recipe, batch, new Rng(1), net.parameters());
      expect(Number.isFinite(loss)).toBe(true);
      const students = net.student.parameters();
      let moved = 0;
      for (const [i, t] of net.teacher.parameters().entries()) {
        const after = await t.floats();
        const s = await students[i]!.floats();
        after.forEach((v, j) => {
          const want = 0.75 * before[i]![j]! + 0.25 * s[j]!;
          if (Math.abs(v - want) > 1e-5 + 1e-5 * Math.abs(want)) expect(v, `teacher ${i}[${j}]`).toBeCloseTo(want, 5);
          if (v !== before[i]![j]) moved++;
        });
      }
      expect(moved).toBeGreaterThan(0);
    } finally {
      await source.close!();
    }
  });

  it('should name the missing views and target of a single-view batch', async () => {
    const batch = (await syntheticBatches(0, 2, patch).batches(0).next()).value!;
    expect(() => make().loss(batch)).toThrow(/two-view: a batch needs views 'a' and 'b' and the target 'turn'.*views \[\] and targets \[\]/);
  });

  it('should ask for two views from a sampler module that exists beside its source', () => {
    const pipeline = make().dataPipeline();
    expect(pipeline.loaderPatchSize).toEqual([24, 24, 24]);
    expect(pipeline.views!.views.map((v) => v.name)).toEqual(['a', 'b']);
    expect(existsSync(pipeline.views!.sampler.module)).toBe(true);
    expect(() => createSslMethod(twoViewFactory, {
      config: {}, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 12], rng: new Rng(0),
    })).toThrow(/square in its last two axes/);
  });

  it('should count every sample once per turn in a 4×4 confusion matrix, leaving no tensor behind', async () => {
    const method = make();
    const batch = (await syntheticBatches(0, 3, patch).batches(0).next()).value!;
    const live = engine.liveTensors;
    const [panel, ...rest] = await method.reportPanels(batch);
    expect(rest).toEqual([]);
    expect(panel).toMatchObject({ type: 'matrix', title: 'Turn confusion matrix', rowLabels: ['0°', '90°', '180°', '270°'] });
    const values = panel!.type === 'matrix' ? panel!.values : [];
    expect(values.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([3, 3, 3, 3]);
    expect(engine.liveTensors).toBe(live);
  });
});
