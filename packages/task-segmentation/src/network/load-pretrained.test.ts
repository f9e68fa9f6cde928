import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import {
  type AdaptationPlan, createSslMethod, type Module, OpenMindError, Rng, saveCheckpoint, setBackend, Trainer,
} from '@openmind-ssl/core';
import { maeFactory } from '@openmind-ssl/ssl-mae';
import { ReferenceBackend, syntheticBatches } from '@openmind-ssl/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetAdaptationPlan, segmentationPlan } from '../../test/support/plans.js';
import { buildSegmentationNetwork } from './build-network.js';
import { loadPretrainedEncoder, readPretrainedCheckpoint } from '@openmind-ssl/interop';

setBackend(new ReferenceBackend());

const fixtureUrl = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url);
const torchFixture = JSON.parse(readFileSync(fixtureUrl('resenc-pretrained.json'), 'utf8')) as {
  transferredSums: Record<string, number>; stemTwoChannels: { shape: number[]; data: number[] };
};

const values = async (m: Module) => new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Float32Array.from(await t.data() as Float32Array)] as const)));
const sumOf = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const transferred = (k: string) => k.startsWith('encoder.stages.') || k.startsWith('encoder.stem.');

async function thrown(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OpenMindError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('loadPretrainedEncoder', () => {
  describe('having a checkpoint of an `openmind pretrain` MAE run (resenc-tiny, 1 channel)', () => {
    let runDir: string;
    let pretrained: Map<string, Float32Array>;
    beforeAll(async () => {
      runDir = await mkdtemp(join(tmpdir(), 'om-seg-pretrain-'));
      const method = createSslMethod(maeFactory, {
        config: { blockSize: 4 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(3),
      });
      await new Trainer({ method, train: syntheticBatches(1, 1, [16, 16, 16]), epochs: 1, iterationsPerEpoch: 1, runDir, seed: 3 }).run();
      pretrained = await values(method.network);
    });

    for (const channels of [1, 2]) {
      it(`should load exactly the encoder and stem into a ${channels}-channel, 3-class network, and leave the decoder at its He init`, async () => {
        const ckpt = await readPretrainedCheckpoint(runDir);
        const plan = segmentationPlan(ckpt.plan, { channels, classes: 3, patch: [16, 16, 16] });
        const { network, factory } = buildSegmentationNetwork(plan, [primusFactory, resencFactory], { rng: new Rng(9), deepSupervision: false });
        const before = await values(network);
        const load = loadPretrainedEncoder(network, ckpt, factory);
        const after = await values(network);
        expect(new Set(load.report.loaded)).toEqual(new Set([...after.keys()].filter(transferred)));
        expect(load.inChannelMismatch).toBe(channels > 1);
        for (const [k, v] of after) {
          if (!transferred(k)) {
            expect(v, k).toEqual(before.get(k));
          } else if (k === 'encoder.stem.convs.0.conv.weight' && channels === 2) {
            const src = pretrained.get(k)!;
            const per = src.length / 8;
            for (let o = 0; o < 8; o++) for (let c = 0; c < 2; c++) for (let i = 0; i < per; i++) {
              expect(v[(o * 2 + c) * per + i]).toBeCloseTo(src[o * per + i]! / 2, 7);
            }
          } else {
            expect(v, k).toEqual(pretrained.get(k));
          }
        }
      });
    }
  });

  describe("having a PyTorch-made nnssl .pth (DNA alias keys, test/fixtures/make_nnssl_pth.py)", () => {
    for (const channels of [1, 2]) {
      it(`should load every encoder and stem tensor (sums equal PyTorch's to 1e-5) into ${channels} channel(s)`, async () => {
        const ckpt = await readPretrainedCheckpoint(fixtureUrl('resenc-pretrained.pth').pathname);
        const plan = segmentationPlan(ckpt.plan, { channels, classes: 2, patch: [16, 16, 16] });
        const { network, factory } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(1), deepSupervision: false });
        const load = loadPretrainedEncoder(network, ckpt, factory);
        const after = await values(network);
        const canonical = [...after.keys()].filter(transferred);
        expect(new Set(load.report.loaded)).toEqual(new Set(canonical));
        expect(load.report.aliases).toContain('encoder.stem.convs.0.all_modules.0.weight');
        for (const k of canonical) {
          if (k === 'encoder.stem.convs.0.conv.weight' && channels === 2) continue;
          expect(Math.abs(sumOf(after.get(k)!) - torchFixture.transferredSums[k]!), k).toBeLessThan(1e-5);
        }
        if (channels === 2) {
          const w = after.get('encoder.stem.convs.0.conv.weight')!;
          expect(network.stateDict().get('encoder.stem.convs.0.conv.weight')!.shape).toEqual(torchFixture.stemTwoChannels.shape);
          torchFixture.stemTwoChannels.data.forEach((v, i) => expect(Math.abs(w[i]! - v)).toBeLessThan(1e-7));
        }
      });
    }

    it('should refuse a checkpoint with missing, unexpected and mis-shaped keys, listing each, and leave the network as it was', async () => {
      const ckpt = await readPretrainedCheckpoint(fixtureUrl('resenc-pretrained.pth').pathname);
      const weights = new Map(ckpt.weights);
      // The conv's weight and its DNA alias: neither copy is left.
      weights.delete('encoder.stages.1.blocks.0.conv1.conv.weight');
      weights.delete('encoder.stages.1.blocks.0.conv1.all_modules.0.weight');
      weights.set('encoder.stages.9.extra.weight', weights.get('encoder.stem.convs.0.conv.bias')!);
      weights.set('encoder.stages.0.blocks.0.conv1.norm.weight', weights.get('encoder.stages.2.blocks.0.conv1.norm.weight')!);
      const plan = segmentationPlan(ckpt.plan, { channels: 1, classes: 2, patch: [16, 16, 16] });
      const { network, factory } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(1), deepSupervision: false });
      const before = await values(network);
      const msg = await thrown(() => loadPretrainedEncoder(network, { ...ckpt, weights }, factory));
      expect(msg).toContain("missing key 'encoder.stages.1.blocks.0.conv1.conv.weight'");
      expect(msg).toContain("unexpected key 'encoder.stages.9.extra.weight'");
      expect(msg).toMatch(/'encoder\.stages\.0\.blocks\.0\.conv1\.norm\.weight' is float32\[16\] in the checkpoint, the model expects \[4\]/);
      expect(await values(network)).toEqual(before);
    });
  });

  describe('having a Primus checkpoint pre-trained at another patch size', () => {
    it('should resize the position embedding trilinearly to the downstream token grid', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'om-seg-primus-'));
      const pre = primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(2) });
      const plan: AdaptationPlan = {
        ...presetAdaptationPlan(primusFactory, 'primus-tiny', [16, 16, 16]),
        pretrain_plan: { configurations: { onemmiso: { patch_size: [16, 16, 16] } } },
      };
      await saveCheckpoint(join(dir, 'ckpt'), pre, undefined, { epoch: 1, step: 1, rng: { seed: 0, step: 1 }, config: {}, adaptationPlan: plan, metrics: {} });
      const ckpt = await readPretrainedCheckpoint(join(dir, 'ckpt'));
      const seg = segmentationPlan(ckpt.plan, { channels: 1, classes: 2, patch: [24, 24, 16] });
      const { network, factory, deepSupervision } = buildSegmentationNetwork(seg, primusFactory, { rng: new Rng(1), deepSupervision: true });
      expect(deepSupervision).toBe(false);
      const load = loadPretrainedEncoder(network, ckpt, factory);
      expect(load.positionEmbeddingResized).toBe(true);
      const pe = network.stateDict().get('eva.pos_embed')!;
      expect(pe.shape).toEqual([1, 3 * 3 * 2, 96]);
      // Along an axis grown from 2 to 3 tokens, align_corners=False samples at 0, 0.5·… : the middle token
      // is the mean of the two source tokens (x = 0.5), the outer ones copy them.
      const src = await pre.stateDict().get('eva.pos_embed')!.data() as Float32Array;
      const dst = await pe.data() as Float32Array;
      const token = (a: Float32Array, i: number) => a.subarray(i * 96, (i + 1) * 96);
      // Source grid [2,2,2], target [3,3,2]: target token (1,1,0) is the mean of source tokens (0|1, 0|1, 0).
      const expected = new Float32Array(96);
      for (const s of [0, 2, 4, 6]) token(src, s).forEach((v, c) => (expected[c] = expected[c]! + v / 4));
      token(dst, (1 * 3 + 1) * 2 + 0).forEach((v, c) => expect(v).toBeCloseTo(expected[c]!, 5));
    });
  });
});
