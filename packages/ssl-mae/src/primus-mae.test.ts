import { Primus, PRIMUS_PRESETS, primusFactory } from '@openmind-ssl/arch-primus';
import resencPlugin, { resencFactory } from '@openmind-ssl/arch-resenc';
import { createRuntime, createSslMethod, gradients, type HostBatch, Rng, scheduleFor, setBackend, SSLMethodId, tensor, type TokenNetworkFactory } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { MaeMethod } from './mae-method.js';
import maePlugin, { maeFactory } from './index.js';
import { drawTokenKeep, tokenMaeConfigSchema, TokenMaeMethod } from './primus-mae.js';

const backend = new ReferenceBackend();
setBackend(backend);

// A small Primus (width 24, 1 block, 4³ tokens) on a 12×12×8 patch: a 3×3×2 token grid, so a mask with
// tensor dims 2 and 3 swapped (nnssl's defect) has the same shape but different content.
const config = { ...PRIMUS_PRESETS['primus-tiny']!.config, embedDim: 24, depth: 1, numHeads: 2, patchEmbedSize: [4, 4, 4] as const };
const build = (o: Parameters<TokenNetworkFactory['createTokenNetwork']>[1]) =>
  new Primus(config, { ...o, ...(o.dropPathRate !== undefined ? { dropPathRate: o.dropPathRate } : {}) });
const small: TokenNetworkFactory = { name: 'primus', presets: ['small'], create: (_preset, o) => build(o), createTokenNetwork: (_preset, o) => build(o) };
const patch = [12, 12, 8] as const;
const method = (cfg: Record<string, unknown> = {}) =>
  new TokenMaeMethod({ config: tokenMaeConfigSchema.parse(cfg), architecture: small, preset: 'small', inChannels: 1, patchSize: patch, rng: new Rng(0) });
const batch: HostBatch = { image: Float32Array.from({ length: 2 * 12 * 12 * 8 }, (_, i) => Math.sin(i / 5)), shape: [2, 1, 12, 12, 8] };

describe('TokenMaeMethod', () => {
  describe('having a 3×3×2 token grid and the default 75% ratio', () => {
    it('should keep max(1, trunc(18 · 0.25)) = 4 random tokens per sample, a different set per sample', () => {
      const keep = method().reconstruct(batch, new Rng(3)).keep;
      expect(keep.perSample).toBe(4);
      const rows = [[...keep.indices.subarray(0, 4)], [...keep.indices.subarray(4)]];
      rows.forEach((r) => expect(new Set(r).size).toBe(4));
      expect(rows[0]).not.toEqual(rows[1]);
    });

    it('should feed the encoder exactly the voxels of the kept tokens, and score exactly the voxels of the dropped ones', async () => {
      const m = method();
      m.network.eval();
      const r = m.reconstruct(batch, new Rng(3));
      // Which input voxels can reach the encoder output: gradients are non-zero only inside kept tokens.
      const x = tensor(batch.image, batch.shape).requireGrad();
      const arch = m.network.architecture;
      const encoded = arch.encodeTokens(arch.embedTokens(x), { keep: r.keep });
      expect(encoded.shape).toEqual([2, 4, 24]);
      const [g] = gradients(encoded.square().sum(), [x]);
      const reached = Array.from(await g!.floats(), (v) => (v !== 0 ? 1 : 0));
      expect(reached).toEqual([...r.mask]);
      expect(r.mask.reduce((a, b) => a + b, 0)).toBe(2 * 4 * 64);
      // The loss is the mean squared error over the voxels the encoder did not see.
      const out = await r.output.floats();
      let s = 0;
      let count = 0;
      r.mask.forEach((visible, i) => {
        if (!visible) {
          s += (out[i]! - batch.image[i]!) ** 2;
          count++;
        }
      });
      expect(await m.loss(batch, new Rng(3)).item()).toBeCloseTo(s / count, 6);
    });

    it('should not match the transposed mask nnssl scores (dims 2 and 3 swapped)', () => {
      const { mask } = method().reconstruct(batch, new Rng(3));
      const transposed = new Uint8Array(mask.length);
      for (let n = 0; n < 2; n++) for (let z = 0; z < 12; z++) for (let y = 0; y < 12; y++) for (let xx = 0; xx < 8; xx++) {
        transposed[((n * 12 + z) * 12 + y) * 8 + xx] = mask[((n * 12 + y) * 12 + z) * 8 + xx]!;
      }
      expect([...transposed]).not.toEqual([...mask]);
    });

    it('should also exclude defaced voxels when excludeAnonymized is set', async () => {
      const anonymization = new Uint8Array(batch.image.length).fill(1);
      expect(await method({ excludeAnonymized: true }).loss({ ...batch, masks: { anonymization } }, new Rng(3)).item()).toBe(0);
    });
  });

  describe('.network', () => {
    it("should be nnssl's EvaMAE: the Primus parts under their keys, a 2-block EVA decoder and a learned mask_token", async () => {
      const m = method();
      const keys = [...m.network.stateDict().keys()];
      const arch = new Primus(config, { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) });
      const archParams = arch.namedParameters().map(([k]) => k);
      expect(keys.filter((k) => !k.startsWith('decoder.') && k !== 'mask_token')).toEqual(archParams);
      const twoBlocks = arch.createTokenTransformer({ depth: 2, rng: new Rng(1) });
      expect(keys.filter((k) => k.startsWith('decoder.')).map((k) => k.slice('decoder.'.length))).toEqual(twoBlocks.namedParameters().map(([k]) => k));
      expect(keys.filter((k) => /^decoder\.blocks\.\d+\.gamma_1$/.test(k))).toEqual(['decoder.blocks.0.gamma_1', 'decoder.blocks.1.gamma_1']);
      expect(keys).toContain('decoder.pos_embed');
      const token = m.network.stateDict().get('mask_token')!;
      expect(token.shape).toEqual([1, 1, 24]);
      expect(Math.max(...Array.from(await token.floats(), Math.abs))).toBeLessThan(1e-5);
      expect(m.network.parameters()).toContain(token);
      arch.dispose();
    });

    it('should give its decoder the configured depth and heads, and every block the stochastic depth schedule', () => {
      const m = method({ decoderDepth: 3, decoderHeads: 4, dropPathRate: 0.3 });
      const decoder = m.network.decoder as unknown as Primus['eva'];
      expect(decoder.blocks.length).toBe(3);
      expect(decoder.blocks.items[0]!.attn.numHeads).toBe(4);
      expect(decoder.blocks.items.map((b) => b.dropPath)).toEqual([0, 0.15, 0.3]);
    });
  });

  describe('.recipe', () => {
    it("should default to BaseEvaMAETrainer's: AdamW 3e-4, wd 5e-2, betas (0.9, 0.98), 50 warm-up epochs then poly, clip 1", () => {
      const r = method().recipe({ epochs: 1000 });
      expect(r.optimizer.groups[0]!.lr).toBe(3e-4);
      expect(r.optimizer.groups[0]!.weightDecay).toBe(5e-2);
      expect((r.optimizer as unknown as { betas: number[] }).betas).toEqual([0.9, 0.98]);
      expect(r.gradClip).toBe(1);
      expect(r.scheduleUnit).toBe('epoch');
      expect(scheduleFor(r.schedule, 'default').lr(0)).toBeCloseTo(6e-6, 15);
      expect(scheduleFor(r.schedule, 'default').lr(49)).toBeCloseTo(3e-4, 15);
      expect(scheduleFor(r.schedule, 'default').lr(50)).toBeCloseTo(3e-4, 15);
      expect(scheduleFor(r.schedule, 'default').lr(999)).toBeCloseTo(3e-4 * (1 / 950) ** 0.9, 15);
    });
  });

  describe('.adaptationPlan', () => {
    it("should write Primus's keys (encoder 'eva', stem 'down_projection', LPE 'eva.pos_embed')", () => {
      expect(method().adaptationPlan()).toMatchObject({
        architecture_plans: { arch_class_name: 'Primus', arch_kwargs_requiring_import: [] },
        key_to_encoder: 'eva', key_to_stem: 'down_projection', keys_to_in_proj: ['down_projection.proj'], key_to_lpe: 'eva.pos_embed',
        recommended_downstream_patchsize: [160, 160, 160], pretrain_num_input_channels: 1,
      });
    });
  });
});

describe('TokenMaeMethod on primus-tiny through createSslMethod', () => {
  // Pinned from commit 8f93c5a, before TokenNetwork moved into core: the refactor must not change a loss.
  // Reference backend (float64 compute), so the values are exact to float32 rounding; tolerance 1e-6 relative.
  it('should give the losses it gave before the architecture capabilities moved to core', async () => {
    const b: HostBatch = { image: Float32Array.from({ length: 2 * 16 ** 3 }, (_, i) => Math.sin(i / 5)), shape: [2, 1, 16, 16, 16] };
    const m = createSslMethod(maeFactory, { architecture: primusFactory, preset: 'primus-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) });
    const train = await m.loss(b, new Rng(3)).item();
    m.network.eval();
    const evaluation = await m.loss(b, new Rng(5)).item();
    expect(Math.abs(train - 1.5030769109725952) / 1.5030769109725952).toBeLessThan(1e-6);
    expect(Math.abs(evaluation - 1.5324620008468628) / 1.5324620008468628).toBeLessThan(1e-6);
  });
});

describe('drawTokenKeep', () => {
  it('should keep 2000 of 8000 tokens at 75%, as nnssl does at 160³', () => {
    const keep = drawTokenKeep(2, 8000, 0.75, new Rng(1));
    expect(keep.perSample).toBe(2000);
    expect(new Set(keep.indices.subarray(0, 2000)).size).toBe(2000);
  });
});

describe('maeFactory', () => {
  const common = { inChannels: 1, patchSize: [16, 16, 16] as const, rng: new Rng(0) };

  it('should build the token variant on a Primus factory and leave the CNN path on ResEnc', () => {
    const token = createSslMethod(maeFactory, { ...common, architecture: primusFactory, preset: 'primus-tiny' });
    expect(token).toBeInstanceOf(TokenMaeMethod);
    const cnn = createSslMethod(maeFactory, { ...common, config: { blockSize: 4 }, architecture: resencFactory, preset: 'resenc-tiny' });
    expect(cnn).toBeInstanceOf(MaeMethod);
  });

  it('should refuse a factory whose createTokenNetwork returns a network that is not a TokenNetwork, naming what it lacks', () => {
    const liar: TokenNetworkFactory = {
      ...small,
      createTokenNetwork: (_p, o) => Object.assign(resencFactory.create('resenc-tiny', o), { embedTokens: () => undefined }) as never,
    };
    expect(() => maeFactory.create({ ...common, config: {} as never, architecture: liar, preset: 'small' })).toThrow(
      /MAE: architecture 'primus' builds token networks, but preset 'small' lacks encodeTokens\(\), decodeTokens\(\), tokenFlagsToVoxels\(\), createTokenTransformer\(\), tokenGrid, tokenPatch\./,
    );
  });

  it('should name the field of a bad token-MAE config, and refuse CNN-only options', () => {
    const rt = createRuntime({ plugins: [maePlugin, resencPlugin] });
    const create = (config: Record<string, unknown>) => createSslMethod(rt.resolve(SSLMethodId, 'mae'), { ...common, config, architecture: primusFactory, preset: 'primus-tiny' });
    expect(() => create({ maskRatio: 'x' })).toThrow(/'maskRatio'/);
    expect(() => create({ blockSize: 8 })).toThrow(/blockSize/);
  });
});
