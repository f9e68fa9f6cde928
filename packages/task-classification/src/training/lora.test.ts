import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { adaptationPlanOf, addLoraAdapters, Conv3d, isLoraKey, LORA_DEFAULTS, type LabelledCase, type Module, noGrad, Rng, setBackend, tensor } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifierModel, saveClassifierModel } from '../model/classifier-model.js';
import { buildClassifier } from '../network/build-classifier.js';
import { fineTuneClassifier } from './fine-tune.js';

const dirs: string[] = [];
beforeAll(async () => {
  const backend = new OnnxRuntimeBackend();
  await backend.init();
  setBackend(backend);
});
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const values = async (m: Module) => new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Float32Array.from(await t.data() as Float32Array)] as const)));
const patch = [16, 16, 16] as const;
const rng = new Rng(2);
const cases: LabelledCase[] = Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, image: rng.fillNormal(new Float32Array(16 ** 3)), shape: [1, 16, 16, 16] as const, target: Int32Array.of(i % 2) }));

const archs = [
  { arch: 'ResEnc', factory: resencFactory, preset: 'resenc-tiny', targets: /^encoder\.(stem\.convs\.0|stages\.\d+\.blocks\.\d+)\.conv(1|2)?\.conv$|^encoder\.stem\.convs\.0\.conv$/, skip: 'skip' },
  { arch: 'Primus', factory: primusFactory, preset: 'primus-tiny', targets: /^eva\.blocks\.\d+\.attn\.(q_proj|k_proj|v_proj|proj)$/, skip: 'down_projection' },
] as const;

describe("fine-tuning mode 'lora'", () => {
  for (const a of archs) {
    it(`${a.arch}: adapters on ${a.arch === 'Primus' ? 'q, k, v and the output projection' : 'the 3×3×3 convolutions'}; only adapters and head train; the saved classifier has them merged and computes the same (to 1e-5)`, async () => {
      const plan = adaptationPlanOf(a.factory.create(a.preset, { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
      const { network } = buildClassifier(plan, a.factory, { classes: 2, inChannels: 1, patchSize: patch, dropout: 0.2, rng: new Rng(5) });
      const names = addLoraAdapters(network, LORA_DEFAULTS, new Rng(6));
      for (const n of names) expect(n).toMatch(a.targets);
      if (a.arch === 'Primus') expect(names.filter((n) => n.startsWith('eva.blocks.0.'))).toEqual(['q_proj', 'k_proj', 'v_proj', 'proj'].map((p) => `eva.blocks.0.attn.${p}`));
      // Every ungrouped 3×3×3 conv of the encoder, and no 1×1×1 skip projection.
      else expect(names.length).toBe(network.namedModules().filter(([, m]) => m instanceof Conv3d && m.weight.shape.slice(2).every((k) => k === 3)).length);
      expect(names.some((n) => n.includes(a.skip))).toBe(false);

      const before = await values(network);
      await fineTuneClassifier({
        network, train: cases, val: cases, multilabel: false, mode: 'lora', epochs: 2, warmupEpochs: 0, lr: 1e-2, weightDecay: 1e-2, batchSize: 2, accumulate: 1, labelSmoothing: 0, rng: new Rng(7),
      });
      const after = await values(network);
      let frozen = 0;
      for (const [k, v] of before) {
        if (isLoraKey(k) || k.startsWith('head.')) continue;
        expect(after.get(k), k).toEqual(v);
        frozen++;
      }
      expect(frozen).toBeGreaterThan(10);
      const moved = (k: string) => after.get(k)!.some((v, i) => v !== before.get(k)![i]);
      expect(moved('head.fc.weight')).toBe(true);
      const bKeys = [...after.keys()].filter((k) => k.endsWith('lora_B'));
      expect(bKeys.length).toBe(names.length);
      expect(bKeys.every(moved)).toBe(true);
      // Fresh B is 0; after training it is not, so the merge below changes weights.
      expect(before.get(bKeys[0]!)!.every((v) => v === 0)).toBe(true);

      const dir = await mkdtemp(join(tmpdir(), 'cls-lora-'));
      dirs.push(dir);
      await saveClassifierModel(dir, network, {
        task: 'classification', plan, classes: ['a', 'b'], multilabel: false, inChannels: 1, spacing: [1, 1, 1], cropSize: [...patch], normalization: 'head', dropout: 0.2, fold: 0,
      }, 2, a.factory);
      const loaded = await loadClassifierModel(dir, a.factory);
      expect([...loaded.network.stateDict().keys()].some(isLoraKey)).toBe(false);
      network.eval();
      const x = tensor(new Rng(11).fillNormal(new Float32Array(2 * 16 ** 3)), [2, 1, 16, 16, 16]);
      const want = await noGrad(() => network.forward(x)).floats();
      const got = await noGrad(() => loaded.network.forward(x)).floats();
      const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
      expect(worst).toBeLessThan(1e-5);
      const merged = await values(loaded.network);
      expect([...merged.keys()].some((k) => k.endsWith('.weight') && names.some((n) => k === `${n}.weight`) && merged.get(k)!.some((v, i) => v !== after.get(k)![i]))).toBe(true);
    }, 240_000);
  }

  it('refuses a classifier without adapters in lora mode, and one with adapters in another mode', async () => {
    const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
    const { network } = buildClassifier(plan, resencFactory, { classes: 2, inChannels: 1, patchSize: patch, dropout: 0.2, rng: new Rng(5) });
    const o = { network, train: cases, val: cases, multilabel: false, epochs: 1, warmupEpochs: 0, lr: 1e-2, weightDecay: 1e-2, batchSize: 2, accumulate: 1, labelSmoothing: 0, rng: new Rng(7) };
    await expect(fineTuneClassifier({ ...o, mode: 'lora' })).rejects.toThrow(/has no adapters/);
    addLoraAdapters(network, LORA_DEFAULTS, new Rng(1));
    await expect(fineTuneClassifier({ ...o, mode: 'full' })).rejects.toThrow(/carries LoRA adapters/);
  });
});
