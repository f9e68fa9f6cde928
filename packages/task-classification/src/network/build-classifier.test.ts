import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, type Module, Rng, setBackend, tensor, Trainer } from '@openmind-ssl/core';
import { maeFactory } from '@openmind-ssl/ssl-mae';
import { readPretrainedCheckpoint } from '@openmind-ssl/interop';
import { ReferenceBackend, syntheticBatches } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { buildClassifier, loadPretrainedClassifier } from './build-classifier.js';

setBackend(new ReferenceBackend());

const values = async (m: Module) => new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Float32Array.from(await t.data() as Float32Array)] as const)));

const cases = [
  { arch: 'ResEnc', factory: resencFactory, preset: 'resenc-tiny', config: { blockSize: 4 }, encoder: /^encoder\.(stem|stages)\./ },
  { arch: 'Primus', factory: primusFactory, preset: 'primus-tiny', config: {}, encoder: /^(eva|down_projection)\./ },
] as const;

describe('classifier from an MAE checkpoint of `openmind pretrain`', () => {
  for (const c of cases) {
    it(`${c.arch}: loads exactly the encoder keys (pre-trained values), the head stays at its fresh init, logits [N, classes]`, async () => {
      const runDir = await mkdtemp(join(tmpdir(), 'om-cls-pretrain-'));
      const method = createSslMethod(maeFactory, { config: c.config, architecture: c.factory, preset: c.preset, inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(3),
        // What a run on a preprocessed store passes (its plans file); Primus needs its patch to place the position embedding.
        pretrainPlan: { configurations: { onemmiso: { patch_size: [16, 16, 16], spacing: [1, 1, 1] } } },
      });
      await new Trainer({ method, train: syntheticBatches(1, 1, [16, 16, 16]), epochs: 1, iterationsPerEpoch: 1, runDir, seed: 3 }).run();
      const pretrained = await values(method.network);
      const ckpt = await readPretrainedCheckpoint(runDir);
      const options = { classes: 3, inChannels: 1, patchSize: [16, 16, 16] as const, dropout: 0.2 };
      const built = buildClassifier(ckpt.plan, [primusFactory, resencFactory], { ...options, rng: new Rng(9) });
      const fresh = await values(buildClassifier(ckpt.plan, [primusFactory, resencFactory], { ...options, rng: new Rng(9) }).network);
      const load = loadPretrainedClassifier(built, ckpt);
      const after = await values(built.network);
      const encoderKeys = [...after.keys()].filter((k) => c.encoder.test(k));
      expect(encoderKeys.length).toBeGreaterThan(4);
      expect(new Set(load.report.loaded)).toEqual(new Set(encoderKeys));
      // Every classifier key is an encoder key or the head; no decoder was built.
      expect([...after.keys()].filter((k) => !c.encoder.test(k)).sort()).toEqual(['head.fc.bias', 'head.fc.weight']);
      for (const k of encoderKeys) expect(after.get(k), k).toEqual(pretrained.get(k));
      for (const k of ['head.fc.weight', 'head.fc.bias']) expect(after.get(k), k).toEqual(fresh.get(k));
      if (c.arch === 'Primus') {
        // The pre-trained LayerScale and inner attention norm are kept (the reference's Eva drops them).
        expect(encoderKeys).toContain('eva.blocks.0.gamma_1');
        expect(encoderKeys.some((k) => /^eva\.blocks\.0\.attn\.norm\./.test(k))).toBe(true);
      }
      built.network.eval();
      const logits = built.network.forward(tensor(new Float32Array(2 * 16 ** 3).map((_, i) => Math.sin(i)), [2, 1, 16, 16, 16]));
      expect(logits.shape).toEqual([2, 3]);
    });
  }

  it('pools Primus over every token: the features are the mean of all encoder tokens', async () => {
    const plan = (await import('@openmind-ssl/core')).adaptationPlanOf(primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) }), { inChannels: 1, patchSize: [16, 16, 16] });
    const { network } = buildClassifier(plan, primusFactory, { classes: 2, inChannels: 1, patchSize: [16, 16, 16], dropout: 0.2, rng: new Rng(1) });
    network.eval();
    const x = tensor(new Float32Array(16 ** 3).map((_, i) => Math.cos(i / 7)), [1, 1, 16, 16, 16]);
    const backbone = network.backbone as unknown as { embedTokens(x: unknown): ReturnType<typeof tensor>; encodeTokens(t: unknown): ReturnType<typeof tensor> };
    const tokens = await backbone.encodeTokens(backbone.embedTokens(x)).floats();
    const width = network.featureWidth;
    const t = tokens.length / width;
    expect(t).toBe(8);
    const expected = Array.from({ length: width }, (_, c) => { let s = 0; for (let i = 0; i < t; i++) s += tokens[i * width + c]!; return s / t; });
    const features = await network.features(x).floats();
    features.forEach((v, c) => expect(v).toBeCloseTo(expected[c]!, 5));
  });
});

describe('classifier from a PyTorch-made nnssl .pth (task-segmentation/test/fixtures/make_nnssl_pth.py)', () => {
  it('loads encoder and stem with the stem repeated over 2 channels and divided by 2; the head stays fresh', async () => {
    const pth = new URL('../../../task-segmentation/test/fixtures/resenc-pretrained.pth', import.meta.url).pathname;
    const ckpt = await readPretrainedCheckpoint(pth);
    const built = buildClassifier(ckpt.plan, resencFactory, { classes: 2, inChannels: 2, patchSize: [16, 16, 16], dropout: 0.2, rng: new Rng(4) });
    const head = await values(built.network);
    const load = loadPretrainedClassifier(built, ckpt);
    expect(load.inChannelMismatch).toBe(true);
    const after = await values(built.network);
    const w = after.get('encoder.stem.convs.0.conv.weight')!;
    const raw = ckpt.weights.get('encoder.stem.convs.0.conv.weight')!;
    expect(raw.dtype).toBe('float32');
    const src = new Float32Array(raw.data.slice().buffer);
    const out = raw.shape[0]!;
    const per = src.length / out;
    expect(w.length).toBe(2 * src.length);
    for (let o = 0; o < out; o++) for (let c = 0; c < 2; c++) for (let i = 0; i < per; i++) expect(w[(o * 2 + c) * per + i]).toBeCloseTo(src[o * per + i]! / 2, 7);
    expect(after.get('head.fc.weight')).toEqual(head.get('head.fc.weight'));
  });
});
