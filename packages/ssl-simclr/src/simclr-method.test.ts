import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { AdamW, createSslMethod, type HostBatch, Rng, scheduleFor, setBackend, SGD } from '@openmind-ssl/core';
import { syntheticBatches } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { simclrFactory } from './plugin.js';
import type { SimclrMethod } from './simclr-method.js';

const backend = new OnnxRuntimeBackend();
await backend.init();
const engine = setBackend(backend);
afterAll(() => backend.close());

const make = (arch: 'resenc' | 'primus', config: Record<string, unknown> = {}, patchSize: [number, number, number] = [16, 16, 16]) => createSslMethod(simclrFactory, {
  config: { projectorDim: 32, ...config }, architecture: arch === 'resenc' ? resencFactory : primusFactory,
  preset: `${arch}-tiny`, inChannels: 1, patchSize, rng: new Rng(0),
}) as SimclrMethod;

/** A batch with SimCLR's two views: n images × k pairs of 16³ crops, values from a seeded stream. */
function viewBatch(n: number, k: number): HostBatch {
  const rng = new Rng(3);
  const view = () => ({ image: Float32Array.from({ length: n * k * 4096 }, () => rng.normal()), shape: [n * k, 1, 16, 16, 16] as const, crops: k });
  const reference = view();
  return { image: reference.image, shape: reference.shape, views: { reference, overlap: view() } };
}

describe('SimclrMethod', () => {
  it("should default to nnssl's SimCLRTrainer recipe on ResEnc: SGD 1e-2, momentum 0.99 Nesterov, wd 3e-5, poly per epoch, clip 0.1", () => {
    const r = make('resenc').recipe({ epochs: 1000 });
    expect(r.optimizer).toBeInstanceOf(SGD);
    expect(r.optimizer.groups[0]).toMatchObject({ lr: 1e-2, weightDecay: 3e-5 });
    expect(r.gradClip).toBe(0.1);
    expect(r.scheduleUnit).toBe('epoch');
    expect(scheduleFor(r.schedule, 'default').lr(999)).toBeCloseTo(1e-2 * (1 / 1000) ** 0.9, 12);
  });

  it('should use SimCLREvaTrainer\'s recipe on Primus: AdamW 3e-4, wd 5e-2, 50 warm-up epochs, clip 1', () => {
    const r = make('primus').recipe({ epochs: 1000 });
    expect(r.optimizer).toBeInstanceOf(AdamW);
    expect(r.optimizer.groups[0]).toMatchObject({ weightDecay: 5e-2 });
    expect(r.gradClip).toBe(1);
    const lr = scheduleFor(r.schedule, 'default').lr;
    expect(lr(0)).toBeCloseTo(3e-4 / 50, 12);
    expect(lr(49)).toBeCloseTo(3e-4, 12);
    expect(lr(999)).toBeCloseTo(3e-4 * (1 - 949 / 950) ** 0.9, 12);
  });

  it('should ask for 2 reference and 2 overlapping crops per image, each augmented, from a crop × [3, 3, 1] patch', () => {
    const p = make('resenc').dataPipeline();
    expect(p.loaderPatchSize).toEqual([48, 48, 16]);
    expect(p.views!.sampler.args).toEqual([{ cropSize: [16, 16, 16], pairs: 2, minOverlap: 0.5 }]);
    expect(p.views!.views).toEqual([
      { name: 'reference', crops: 2, augmentation: { module: '@openmind-ssl/augment', exportName: 'simclrCropAugmentation' } },
      { name: 'overlap', crops: 2, augmentation: { module: '@openmind-ssl/augment', exportName: 'simclrCropAugmentation' } },
    ]);
    expect(make('resenc', { loaderPatchSize: [32, 40, 16], augment: false }).dataPipeline()).toMatchObject({ loaderPatchSize: [32, 40, 16], views: { views: [{ name: 'reference', crops: 2 }, { name: 'overlap', crops: 2 }] } });
  });

  it('should refuse a crop that rot90 cannot turn and a loader patch smaller than the crop', () => {
    expect(() => make('resenc', {}, [16, 24, 16])).toThrow(/square in its first two axes/);
    expect(() => make('resenc', { loaderPatchSize: [8, 48, 16] })).toThrow(/loaderPatchSize \[8, 48, 16\] must hold a crop of \[16, 16, 16\]/);
  });

  it('should write the encoder keys nnssl writes, with the crop as the pretrain patch', () => {
    const plans = { configurations: { onemmiso: { patch_size: [160, 160, 160], spacing: [1, 1, 1] } } };
    const resenc = createSslMethod(simclrFactory, { config: {}, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0), pretrainPlan: plans }).adaptationPlan();
    expect(resenc).toMatchObject({ key_to_encoder: 'encoder.stages', key_to_stem: 'encoder.stem', keys_to_in_proj: ['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'], pretrain_plan: { configurations: { onemmiso: { patch_size: [16, 16, 16] } } } });
    expect(make('primus').adaptationPlan()).toMatchObject({ key_to_encoder: 'eva', key_to_stem: 'down_projection', key_to_lpe: 'eva.pos_embed' });
    // The network holds the encoder under the plan's keys and the projector beside it, no decoder.
    const keys = [...make('resenc').network.stateDict().keys()];
    expect(keys.some((k) => k.startsWith('encoder.stages.'))).toBe(true);
    expect(keys.filter((k) => !k.startsWith('encoder.')).sort()).toEqual(['projector.layer1.0.bias', 'projector.layer1.0.weight', 'projector.layer2.0.bias', 'projector.layer2.0.weight', 'projector.layer3.0.bias', 'projector.layer3.0.weight']);
  });

  it('should pool every ResEnc stage (8+16+32+64 = 120 features) and Primus\'s token volume (96) into the projector', () => {
    expect(make('resenc').network.projector.layer1.stateDict().get('0.weight')!.shape).toEqual([32, 120]);
    expect(make('primus').network.projector.layer1.stateDict().get('0.weight')!.shape).toEqual([32, 96]);
  });

  it('should score a batch as NT-Xent over its 2N crops, and name the views a single-view batch lacks', async () => {
    const m = make('resenc');
    const loss = await m.loss(viewBatch(2, 2)).item();
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(0);
    const plain = (await syntheticBatches(0, 2, [16, 16, 16]).batches(0).next()).value!;
    expect(() => m.loss(plain)).toThrow(/SimCLR: a batch needs the views 'reference' and 'overlap'.*but it has \[\]/);
  });

  it('should draw a 2N × 2N similarity panel with 1 on the diagonal, symmetric, leaving no tensor behind', async () => {
    const m = make('primus');
    m.network.eval();
    const live = engine.liveTensors;
    const [panel, ...rest] = await m.reportPanels(viewBatch(2, 2));
    expect(rest).toEqual([]);
    expect(engine.liveTensors).toBe(live);
    if (panel?.type !== 'matrix') throw new Error('expected a matrix panel');
    expect(panel.rowLabels).toEqual(['ref 1', 'ref 2', 'ref 3', 'ref 4', 'ovl 1', 'ovl 2', 'ovl 3', 'ovl 4']);
    expect(panel.values).toHaveLength(8);
    panel.values.forEach((row, i) => {
      expect(row[i]).toBeCloseTo(1, 3);
      row.forEach((v, j) => expect(v).toBeCloseTo(panel.values[j]![i]!, 3));
    });
  });
});
