import { readFileSync } from 'node:fs';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { createSslMethod, crossEntropy, Rng, scheduleFor, setBackend, tensor } from '@openmind-ssl/core';
import { filledValues, syntheticBatches, type ValueRecipe } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { diceCeLoss, fuseBatch, softDiceLoss, VolumeFusionMethod, volumeFusionFactory } from '../src/index.js';

const backend = new OnnxRuntimeBackend({ spinning: false });
await backend.init();
setBackend(backend);
afterAll(() => backend.close());

const patch = [16, 16, 16] as const;
const make = (architecture: typeof resencFactory | typeof primusFactory, preset: string, config: Record<string, unknown> = {}) =>
  createSslMethod(volumeFusionFactory, { config, architecture, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) }) as VolumeFusionMethod;

// test/fixtures/volume-fusion-loss.json, made by tools/make_loss_fixture.py (nnssl's DC_and_CE_loss formula in PyTorch).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/volume-fusion-loss.json', import.meta.url), 'utf8')) as {
  shape: number[]; cases: { logits: ValueRecipe; target: number[]; ce: number; dice: number; loss: number }[];
};
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('VolumeFusionMethod', () => {
  it('should compute CE + soft Dice (all 5 classes, per sample, smooth 1e-5) as PyTorch to 1e-5 relative, also with a class absent from a sample', async () => {
    const [n, , ...spatial] = fixture.shape;
    for (const c of fixture.cases) {
      const logits = tensor(filledValues(c.logits), fixture.shape);
      const target = tensor(Int32Array.from(c.target), [n!, ...spatial], { dtype: 'int32' });
      expect(relative(await crossEntropy(logits, target).item(), c.ce)).toBeLessThan(1e-5);
      expect(relative(await softDiceLoss(logits, target).item(), c.dice)).toBeLessThan(1e-5);
      expect(relative(await diceCeLoss(logits, target).item(), c.loss)).toBeLessThan(1e-5);
    }
  });

  it("should score the network's segmentation of the fused pairs against their class maps", async () => {
    const method = make(resencFactory, 'resenc-tiny');
    const batch = (await syntheticBatches(0, 4, patch).batches(0).next()).value!;
    const f = fuseBatch(batch, method.settings, new Rng(9));
    const want = await diceCeLoss(method.network.forward(tensor(f.input, f.shape)), tensor(f.classMap, [2, 16, 16, 16], { dtype: 'int32' })).item();
    expect(await method.loss(batch, new Rng(9)).item()).toBeCloseTo(want, 6);
  });

  it('should segment into the 5 classes on ResEnc and Primus (patch decoder to 5)', async () => {
    const batch = (await syntheticBatches(0, 2, patch).batches(0).next()).value!;
    for (const m of [make(resencFactory, 'resenc-tiny'), make(primusFactory, 'primus-tiny')]) {
      const f = m.fuse(batch, new Rng(0));
      expect(m.network.forward(tensor(f.input, f.shape)).shape).toEqual([1, 5, 16, 16, 16]);
    }
    expect(make(resencFactory, 'resenc-tiny', { classes: 3 }).network.forward(tensor(new Float32Array(16 ** 3), [1, 1, 16, 16, 16])).shape[1]).toBe(3);
  });

  it('should draw fused input, true and predicted class maps as PNG panels, also from a single image', async () => {
    for (const n of [1, 2]) {
      const batch = (await syntheticBatches(0, n, patch).batches(0).next()).value!;
      const panels = await make(resencFactory, 'resenc-tiny').reportPanels(batch, new Rng(1));
      expect(panels.map((p) => p.title)).toEqual(['Fused input', 'True class map', 'Predicted class map']);
      for (const p of panels) expect(p.type === 'image' && Array.from(p.png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    }
  });

  it("should default to nnssl's recipes: SGD 1e-2 poly, clip 12 on ResEnc; AdamW 3e-4 warm-up + poly, clip 1 on Primus", () => {
    const cnn = make(resencFactory, 'resenc-tiny').recipe({ epochs: 1000 });
    expect([cnn.optimizer.groups[0]!.lr, cnn.optimizer.groups[0]!.weightDecay, cnn.gradClip]).toEqual([1e-2, 3e-5, 12]);
    expect(scheduleFor(cnn.schedule, 'default').lr(999)).toBeCloseTo(1e-2 * (1 / 1000) ** 0.9, 12);
    const token = make(primusFactory, 'primus-tiny').recipe({ epochs: 1000 });
    expect([token.optimizer.groups[0]!.lr, token.optimizer.groups[0]!.weightDecay, token.gradClip]).toEqual([3e-4, 5e-2, 1]);
  });

  it("should ask for crops of the patch augmented by the augment package's volumeFusionAugmentation, or none", () => {
    expect(make(resencFactory, 'resenc-tiny').dataPipeline()).toEqual({
      loaderPatchSize: [16, 16, 16], augmentation: { module: '@openmind-ssl/augment', exportName: 'volumeFusionAugmentation', args: [] },
    });
    expect(make(resencFactory, 'resenc-tiny', { augment: false }).dataPipeline()).toEqual({ loaderPatchSize: [16, 16, 16] });
  });

  it('should write the architecture keys into its adaptation plan: ResEnc and Primus', () => {
    expect(make(resencFactory, 'resenc-tiny').adaptationPlan()).toMatchObject({ key_to_encoder: 'encoder.stages', key_to_stem: 'encoder.stem' });
    expect(make(primusFactory, 'primus-tiny').adaptationPlan()).toMatchObject({ key_to_encoder: 'eva', key_to_stem: 'down_projection' });
  });

  it('should refuse the options of the other architecture and an empty box-count range, naming them', () => {
    expect(() => make(resencFactory, 'resenc-tiny', { warmupEpochs: 0 })).toThrow(/SSL method 'volume-fusion': invalid config — 'warmupEpochs'/);
    expect(() => make(primusFactory, 'primus-tiny', { momentum: 0.9 })).toThrow(/'momentum'/);
    expect(() => make(resencFactory, 'resenc-tiny', { boxCountMin: 10, boxCountMax: 10 })).toThrow(/boxCountMax \(10, exclusive\) must exceed boxCountMin \(10\)/);
  });
});
