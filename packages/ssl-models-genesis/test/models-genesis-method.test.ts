import { existsSync, readFileSync } from 'node:fs';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, mse, Rng, scheduleFor, setBackend, tensor } from '@openmind-ssl/core';
import { filledValues, syntheticBatches, type ValueRecipe } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelsGenesisMethod, modelsGenesisFactory } from '../src/index.js';
import { viewBatches } from './store.js';

const backend = new OnnxRuntimeBackend({ spinning: false });
await backend.init();
setBackend(backend);
afterAll(() => backend.close());

const patch = [16, 16, 16] as const;
const make = (architecture: typeof resencFactory | typeof primusFactory, preset: string, config: Record<string, unknown> = {}) =>
  createSslMethod(modelsGenesisFactory, { config, architecture, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) }) as ModelsGenesisMethod;

// test/fixtures/models-genesis-loss.json, made by tools/make_loss_fixture.py (torch.nn.MSELoss, LossMaskMSELoss).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/models-genesis-loss.json', import.meta.url), 'utf8')) as {
  shape: number[]; prediction: ValueRecipe; target: ValueRecipe; anonymization: ValueRecipe; mse: number; mseAnon: number;
};

describe('ModelsGenesisMethod', () => {
  it("should compute PyTorch's MSELoss and the _ANON LossMaskMSELoss on fixed inputs to 1e-5 relative", async () => {
    const p = tensor(filledValues(fixture.prediction), fixture.shape);
    const y = tensor(filledValues(fixture.target), fixture.shape);
    const keep = filledValues(fixture.anonymization).map((v) => (v > 0.4 ? 0 : 1));
    const all = await mse(p, y).item();
    const anon = await mse(p, y, tensor(keep, fixture.shape)).item();
    expect(Math.abs(all - fixture.mse) / fixture.mse).toBeLessThan(1e-5);
    expect(Math.abs(anon - fixture.mseAnon) / fixture.mseAnon).toBeLessThan(1e-5);
  });

  it("should score the network's restoration of the worker-made input against the target view, over all voxels", async () => {
    const method = make(resencFactory, 'resenc-tiny');
    const source = viewBatches(0, 2, patch, method);
    try {
      const batch = (await source.batches(0).next()).value!;
      expect(Object.keys(batch.views!)).toEqual(['input', 'target']);
      const { input, target } = batch.views!;
      expect(Array.from(input!.image)).not.toEqual(Array.from(target!.image));
      const want = await mse(method.network.forward(tensor(input!.image, input!.shape)), tensor(target!.image, target!.shape)).item();
      expect(await method.loss(batch, new Rng(9)).item()).toBeCloseTo(want, 6);
      // Excluding defaced voxels scores only the rest: with every voxel defaced nothing is left.
      const defaced = { ...batch, views: { ...batch.views!, target: { ...target!, masks: { anonymization: new Uint8Array(target!.image.length).fill(1) } } } };
      expect(await make(resencFactory, 'resenc-tiny', { excludeAnonymized: true }).loss(defaced, new Rng(9)).item()).toBe(0);
    } finally {
      await source.close!();
    }
  });

  it('should corrupt a plain batch itself (the report batch), differently per draw and the same per seed', async () => {
    const method = make(resencFactory, 'resenc-tiny');
    const batch = (await syntheticBatches(0, 2, patch).batches(0).next()).value!;
    const a = await method.reconstruct(batch, new Rng(1)).corrupted.floats();
    expect(a).toEqual(await method.reconstruct(batch, new Rng(1)).corrupted.floats());
    expect(a).not.toEqual(await method.reconstruct(batch, new Rng(2)).corrupted.floats());
    expect(Array.from(a)).not.toEqual(Array.from(batch.image));
  });

  it('should reconstruct to the input channels on ResEnc and Primus (patch decoder to one channel)', async () => {
    const batch = (await syntheticBatches(0, 1, patch).batches(0).next()).value!;
    for (const m of [make(resencFactory, 'resenc-tiny'), make(primusFactory, 'primus-tiny')]) {
      expect(m.reconstruct(batch, new Rng(0)).output.shape).toEqual([1, 1, 16, 16, 16]);
    }
  });

  it("should default to nnssl's recipes: SGD 1e-2 poly, clip 12 on ResEnc; AdamW 3e-4 warm-up + poly, clip 1 on Primus", () => {
    const cnn = make(resencFactory, 'resenc-tiny').recipe({ epochs: 1000 });
    expect([cnn.optimizer.groups[0]!.lr, cnn.optimizer.groups[0]!.weightDecay, cnn.gradClip]).toEqual([1e-2, 3e-5, 12]);
    expect(scheduleFor(cnn.schedule, 'default').lr(999)).toBeCloseTo(1e-2 * (1 / 1000) ** 0.9, 12);
    const token = make(primusFactory, 'primus-tiny').recipe({ epochs: 1000 });
    expect([token.optimizer.groups[0]!.lr, token.optimizer.groups[0]!.weightDecay, token.gradClip]).toEqual([3e-4, 5e-2, 1]);
    expect(scheduleFor(token.schedule, 'default').lr(0)).toBeCloseTo(6e-6, 15);
  });

  it('should ask for crops of the patch and a view sampler module that exists beside its source', () => {
    const pipeline = make(resencFactory, 'resenc-tiny', { inpaintRate: 0.5 }).dataPipeline();
    expect(pipeline.loaderPatchSize).toEqual([16, 16, 16]);
    expect(pipeline.views!.views.map((v) => v.name)).toEqual(['input', 'target']);
    expect(existsSync(pipeline.views!.sampler.module)).toBe(true);
    expect(pipeline.views!.sampler.args).toEqual([{ rates: { flip: 0.4, localShuffle: 0.5, nonlinear: 0.9, paint: 0.9, inpaint: 0.5 }, intensity: 'unit', nnsslFlipAxes: false }]);
  });

  it('should write the architecture keys into its adaptation plan: ResEnc and Primus', () => {
    expect(make(resencFactory, 'resenc-tiny').adaptationPlan()).toMatchObject({ key_to_encoder: 'encoder.stages', key_to_stem: 'encoder.stem', keys_to_in_proj: ['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'] });
    expect(make(primusFactory, 'primus-tiny').adaptationPlan()).toMatchObject({ key_to_encoder: 'eva', key_to_stem: 'down_projection', key_to_lpe: 'eva.pos_embed' });
  });

  it('should refuse the options of the other architecture, naming them', () => {
    expect(() => make(resencFactory, 'resenc-tiny', { warmupEpochs: 0 })).toThrow(/SSL method 'models-genesis': invalid config — 'warmupEpochs'/);
    expect(() => make(primusFactory, 'primus-tiny', { momentum: 0.9 })).toThrow(/'momentum'/);
  });
});
