import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { AdamW, createSslMethod, type HostBatch, Rng, scheduleFor, setBackend, SGD, trainingStep } from '@openmind-ssl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { overlapLabels } from './overlap-labels.js';
import { vocoFactory } from './plugin.js';
import type { VocoMethod } from './voco-method.js';

const backend = new OnnxRuntimeBackend();
await backend.init();
const engine = setBackend(backend);
afterAll(() => backend.close());

const make = (arch: 'resenc' | 'primus', config: Record<string, unknown> = {}) => createSslMethod(vocoFactory, {
  config: { projectorDim: 32, grid: [2, 2, 1], targets: 2, ...config }, architecture: arch === 'resenc' ? resencFactory : primusFactory,
  preset: `${arch}-tiny`, inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0),
}) as VocoMethod;

/** A VoCo batch: 2 images × (4 base + 2 target) 16³ crops, labels of fixed target boxes. */
function vocoBatch(): HostBatch {
  const rng = new Rng(3);
  const view = (k: number) => ({ image: Float32Array.from({ length: 2 * k * 4096 }, () => rng.normal()), shape: [2 * k, 1, 16, 16, 16] as const, crops: k });
  const base = view(4);
  const labels = [...overlapLabels([[0, 0, 0], [8, 4, 0]], [2, 2, 1], [16, 16, 16]), ...overlapLabels([[16, 16, 0], [3, 9, 0]], [2, 2, 1], [16, 16, 16])];
  return { image: base.image, shape: base.shape, views: { base, target: view(2) }, targets: { overlaps: { data: Float32Array.from(labels), shape: [2, 2, 4], dtype: 'float32' } } };
}

describe('VocoMethod', () => {
  it("should default to nnssl's VoCoTrainer: 4×4×1 grid, 4 targets, SGD 1e-2 poly, no gradient clipping, no teacher", () => {
    const m = createSslMethod(vocoFactory, { config: {}, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [64, 64, 64], rng: new Rng(0) }) as VocoMethod;
    expect(m.config).toMatchObject({ grid: [4, 4, 1], targets: 4, predWeight: 1, regWeight: 1 });
    expect(m.dataPipeline().loaderPatchSize).toEqual([256, 256, 64]);
    expect(m.dataPipeline().views!.views.map((v) => [v.name, v.crops])).toEqual([['base', 16], ['target', 4]]);
    const r = m.recipe({ epochs: 1000 });
    expect(r.optimizer).toBeInstanceOf(SGD);
    expect(r.optimizer.groups[0]).toMatchObject({ lr: 1e-2, weightDecay: 3e-5 });
    expect(r.gradClip).toBeUndefined();
    expect(r.afterUpdate).toBeUndefined();
    expect(m.network.teacher).toBeUndefined();
    expect(scheduleFor(r.schedule, 'default').lr(999)).toBeCloseTo(1e-2 * (1 / 1000) ** 0.9, 12);
  });

  it("should use VoCoEvaTrainer's recipe on Primus: AdamW 3e-4 with 50 warm-up epochs, clip 1", () => {
    const r = make('primus').recipe({ epochs: 1000 });
    expect(r.optimizer).toBeInstanceOf(AdamW);
    expect(r.gradClip).toBe(1);
    expect(scheduleFor(r.schedule, 'default').lr(49)).toBeCloseTo(3e-4, 12);
  });

  it('should write the encoder keys with the crop as the pretrain patch, and keep the teacher out of them', () => {
    const plans = { configurations: { onemmiso: { patch_size: [160, 160, 160] } } };
    const plan = createSslMethod(vocoFactory, { config: { teacherMomentum: 0.99 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0), pretrainPlan: plans }).adaptationPlan();
    expect(plan).toMatchObject({ key_to_encoder: 'encoder.stages', key_to_stem: 'encoder.stem', pretrain_plan: { configurations: { onemmiso: { patch_size: [16, 16, 16] } } } });
  });

  it('should move an optional momentum teacher by EMA after each update and train only the student', async () => {
    const m = make('resenc', { teacherMomentum: 0.75, lr: 0.05 });
    const net = m.network;
    const teacher = net.teacher!;
    const student = net.studentParameters();
    for (const [i, t] of teacher.parameters().entries()) expect(await t.floats()).toEqual(await student[i]!.floats());
    const recipe = m.recipe({ epochs: 1 });
    const trained = new Set(recipe.optimizer.groups.flatMap((g) => g.params));
    expect(teacher.parameters().some((t) => trained.has(t) || t.requiresGrad)).toBe(false);
    expect(student.every((t) => trained.has(t))).toBe(true);
    const before = await Promise.all(teacher.parameters().map((t) => t.floats()));
    expect(Number.isFinite(await trainingStep(m, recipe, vocoBatch(), new Rng(1), net.parameters()))).toBe(true);
    let moved = 0;
    for (const [i, t] of teacher.parameters().entries()) {
      const after = await t.floats();
      const s = await student[i]!.floats();
      after.forEach((v, j) => {
        const want = 0.75 * before[i]![j]! + 0.25 * s[j]!;
        if (Math.abs(v - want) > 1e-5 + 1e-5 * Math.abs(want)) expect(v, `teacher ${i}[${j}]`).toBeCloseTo(want, 5);
        if (v !== before[i]![j]) moved++;
      });
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('should name what a batch lacks and refuse a one-crop grid', () => {
    const m = make('resenc');
    expect(() => m.loss({ image: new Float32Array(4096), shape: [1, 1, 16, 16, 16] })).toThrow(/VoCo: a batch needs the views 'base' and 'target' and the target 'overlaps'/);
    expect(() => make('resenc', { grid: [1, 1, 1] })).toThrow(/at least 2 base crops/);
  });

  it('should draw true and predicted overlaps of the first image side by side, leaving no tensor behind', async () => {
    const m = make('primus');
    m.network.eval();
    const live = engine.liveTensors;
    const [panel, ...rest] = await m.reportPanels(vocoBatch());
    expect(rest).toEqual([]);
    expect(engine.liveTensors).toBe(live);
    if (panel?.type !== 'matrix') throw new Error('expected a matrix panel');
    expect(panel.rowLabels).toEqual(['target 1 true', 'target 1 predicted', 'target 2 true', 'target 2 predicted']);
    expect(panel.columnLabels).toEqual(['base 1', 'base 2', 'base 3', 'base 4']);
    expect(panel.values[0]).toEqual([1, 0, 0, 0]);
    expect(panel.values[2]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(panel.values[1]!.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
