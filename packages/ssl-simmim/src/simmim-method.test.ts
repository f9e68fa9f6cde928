import { readFileSync } from 'node:fs';
import { Primus, PRIMUS_PRESETS, primusFactory, tokenFlagsToVoxels } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, gradients, type HostBatch, mse, Rng, scheduleFor, setBackend, tensor, type TokenNetworkFactory } from '@openmind-ssl/core';
import { filledValues, ReferenceBackend, type ValueRecipe } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { simmimConfigSchema } from './config.js';
import { simmimFactory } from './plugin.js';
import { SimmimMethod } from './simmim-method.js';
import { drawTokenMask } from './token-mask.js';

setBackend(new ReferenceBackend());

// A small Primus (width 24, 1 block, 4³ tokens) on a 12×12×8 patch: a 3×3×2 token grid (18 tokens).
const config = { ...PRIMUS_PRESETS['primus-tiny']!.config, embedDim: 24, depth: 1, numHeads: 2, patchEmbedSize: [4, 4, 4] as const };
const build = (o: Parameters<TokenNetworkFactory['createTokenNetwork']>[1]) => new Primus(config, o);
const small: TokenNetworkFactory = { name: 'primus', presets: ['small'], create: (_p, o) => build(o), createTokenNetwork: (_p, o) => build(o) };
const patch = [12, 12, 8] as const;
const method = (cfg: Record<string, unknown> = {}) =>
  new SimmimMethod({ config: simmimConfigSchema.parse(cfg), architecture: small, preset: 'small', inChannels: 1, patchSize: patch, rng: new Rng(0) });
const batch: HostBatch = { image: Float32Array.from({ length: 2 * 12 * 12 * 8 }, (_, i) => Math.sin(i / 5)), shape: [2, 1, 12, 12, 8] };

describe('drawTokenMask', () => {
  it('should mask trunc(0.75 · 8000) = 6000 tokens of each sample at 160³, a different set per sample', () => {
    const m = drawTokenMask(2, 8000, 0.75, new Rng(1));
    const hidden = (s: number) => m.subarray(s * 8000, (s + 1) * 8000).reduce((a, v) => a + (v ? 0 : 1), 0);
    expect([hidden(0), hidden(1)]).toEqual([6000, 6000]);
    expect([...m.subarray(0, 8000)]).not.toEqual([...m.subarray(8000)]);
  });

  it('should refuse a ratio that masks no token or every token', () => {
    expect(() => drawTokenMask(1, 1, 0.75, new Rng(0))).toThrow(/masks 0; it must mask at least one token and leave one visible/);
  });
});

describe('SimmimMethod', () => {
  describe('.reconstruct', () => {
    it('should let the input voxels of visible tokens reach the output and no voxel of a masked token', async () => {
      const m = method();
      m.network.eval();
      const visible = drawTokenMask(2, 18, 0.75, new Rng(3));
      const x = tensor(batch.image, batch.shape).requireGrad();
      const [g] = gradients(m.network.forward(x, visible).square().sum(), [x]);
      const reached = Array.from(await g!.floats(), (v) => (v !== 0 ? 1 : 0));
      expect(reached).toEqual(Array.from(m.network.architecture.tokenFlagsToVoxels(visible, 2)));
      expect(visible.reduce((a, b) => a + b, 0)).toBe(2 * (18 - 13));
    });

    it('should give the masked tokens the learned mask token: its gradient is non-zero, and zero when nothing is masked', async () => {
      const m = method();
      const x = tensor(batch.image, batch.shape);
      const [some] = gradients(m.network.forward(x, drawTokenMask(2, 18, 0.75, new Rng(3))).square().sum(), [m.network.mask_token]);
      expect(Math.max(...Array.from(await some!.floats(), Math.abs))).toBeGreaterThan(0);
      const [none] = gradients(m.network.forward(x, new Uint8Array(36).fill(1)).square().sum(), [m.network.mask_token]);
      expect(Array.from(await none!.floats()).every((v) => v === 0)).toBe(true);
    });
  });

  describe('.loss', () => {
    it('should be the MSE over exactly the voxels of masked tokens', async () => {
      const m = method();
      m.network.eval();
      const r = m.reconstruct(batch, new Rng(3));
      const out = await r.output.floats();
      let s = 0;
      let count = 0;
      r.mask.forEach((visible, i) => {
        if (!visible) {
          s += (out[i]! - batch.image[i]!) ** 2;
          count++;
        }
      });
      expect(count).toBe(2 * 13 * 64);
      expect(await m.loss(batch, new Rng(3)).item()).toBeCloseTo(s / count, 6);
    });

    it('should also exclude defaced voxels when excludeAnonymized is set', async () => {
      const anonymization = new Uint8Array(batch.image.length).fill(1);
      expect(await method({ excludeAnonymized: true }).loss({ ...batch, masks: { anonymization } }, new Rng(3)).item()).toBe(0);
    });

    // test/fixtures/simmim-loss.json, made by tools/make_loss_fixture.py with PyTorch (MAEMSELoss, LossMaskMSELoss).
    const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/simmim-loss.json', import.meta.url), 'utf8')) as {
      grid: [number, number, number]; token: number; shape: number[]; prediction: ValueRecipe; target: ValueRecipe; anonymization: ValueRecipe;
      visibleTokens: number[]; denseVisibleSum: number; loss: number; lossAnon: number;
    };
    it("should equal PyTorch's masked MSE on fixed inputs to 1e-5 relative, with and without defaced voxels", async () => {
      const n = fixture.shape[0]!;
      const t = fixture.token;
      const visible = tokenFlagsToVoxels(fixture.visibleTokens, n, fixture.grid, [t, t, t]);
      expect(visible.reduce((a, b) => a + b, 0)).toBe(fixture.denseVisibleSum);
      const anon = filledValues(fixture.anonymization).map((v) => (v > 0.5 ? 1 : 0));
      const [p, y] = [tensor(filledValues(fixture.prediction), fixture.shape), tensor(filledValues(fixture.target), fixture.shape)];
      const loss = await mse(p, y, tensor(visible.map((v) => 1 - v), [n, 1, ...fixture.shape.slice(2)])).item();
      const lossAnon = await mse(p, y, tensor(visible.map((v, i) => (1 - v) * (1 - anon[i]!)), [n, 1, ...fixture.shape.slice(2)])).item();
      expect(Math.abs(loss - fixture.loss) / fixture.loss).toBeLessThan(1e-5);
      expect(Math.abs(lossAnon - fixture.lossAnon) / fixture.lossAnon).toBeLessThan(1e-5);
    });
  });

  describe('.network', () => {
    it("should be nnssl's EvaSimMIM: the Primus parts under their keys and a learned mask_token, no decoder transformer", async () => {
      const m = method();
      const keys = [...m.network.stateDict().keys()];
      const arch = new Primus(config, { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) });
      expect(keys.filter((k) => k !== 'mask_token')).toEqual(arch.namedParameters().map(([k]) => k));
      const token = m.network.stateDict().get('mask_token')!;
      expect(token.shape).toEqual([1, 1, 24]);
      expect(Math.max(...Array.from(await token.floats(), Math.abs))).toBeLessThan(1e-5);
      expect(m.network.parameters()).toContain(token);
      arch.dispose();
    });
  });

  describe('.recipe', () => {
    it('should default to the EvaMAE recipe: AdamW 3e-4, wd 5e-2, betas (0.9, 0.98), 50 warm-up epochs then poly, clip 1', () => {
      const r = method().recipe({ epochs: 1000 });
      expect(r.optimizer.groups[0]!.lr).toBe(3e-4);
      expect(r.optimizer.groups[0]!.weightDecay).toBe(5e-2);
      expect((r.optimizer as unknown as { betas: number[] }).betas).toEqual([0.9, 0.98]);
      expect(r.gradClip).toBe(1);
      expect(r.scheduleUnit).toBe('epoch');
      const lr = scheduleFor(r.schedule, 'default').lr;
      expect(lr(0)).toBeCloseTo(6e-6, 15);
      expect(lr(50)).toBeCloseTo(3e-4, 15);
      expect(lr(999)).toBeCloseTo(3e-4 * (1 / 950) ** 0.9, 15);
    });
  });

  describe('.adaptationPlan', () => {
    it("should write Primus's keys, which a downstream Primus built from the plan loads strictly", () => {
      const m = createSslMethod(simmimFactory, { architecture: primusFactory, preset: 'primus-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) });
      const plan = m.adaptationPlan();
      expect(plan).toMatchObject({
        architecture_plans: { arch_class_name: 'Primus' }, key_to_encoder: 'eva', key_to_stem: 'down_projection',
        keys_to_in_proj: ['down_projection.proj'], key_to_lpe: 'eva.pos_embed', pretrain_num_input_channels: 1,
      });
      const down = primusFactory.fromAdaptationPlan(plan, { outChannels: 3, patchSize: [16, 16, 16], rng: new Rng(1) });
      const sd = m.network.stateDict();
      const pick = (prefix: string) => new Map([...sd].filter(([k]) => k.startsWith(`${prefix}.`)).map(([k, v]) => [k.slice(prefix.length + 1), v]));
      const module = (name: string) => down.namedModules().find(([k]) => k === name)![1];
      expect(module(plan.key_to_encoder).loadStateDict(pick(plan.key_to_encoder)).missing).toEqual([]);
      expect(module(plan.key_to_stem).loadStateDict(pick(plan.key_to_stem)).missing).toEqual([]);
      down.dispose();
    });
  });

  describe('simmimFactory', () => {
    it('should refuse an architecture that does not build token networks, naming it', () => {
      expect(() => createSslMethod(simmimFactory, { architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) }))
        .toThrow(/SimMIM: architecture 'resenc' does not build token networks.*primus-m/);
    });

    it('should name an unknown option', () => {
      expect(() => createSslMethod(simmimFactory, { config: { blockSize: 8 }, architecture: small, preset: 'small', inChannels: 1, patchSize: patch, rng: new Rng(0) }))
        .toThrow(/SSL method 'simmim': invalid config — 'blockSize'/);
    });
  });
});
