import { type AdaptationPlan, Module, OpenMindError, Rng, setBackend, type Tensor, tensor, tidy, zeros } from '@openmind-ssl/core';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { filledValues, type ValueRecipe } from '@openmind-ssl/testing';
import { fixtureJson, fixturePath, relativeError } from '../test-support/fixtures.js';
import { float32Raw, rawValues, type RawTensor } from '../torch/raw-tensor.js';
import { adaptPretrainedWeights } from './adapt-pretrained-weights.js';
import { networkFromAdaptationPlan } from './network-from-plan.js';
import { type NnsslCheckpoint, readNnsslCheckpoint } from './read-nnssl-checkpoint.js';

setBackend(new ReferenceBackend());

interface ForwardFixture {
  input: ValueRecipe;
  keys: number;
  aliasKeys: number;
  output: { shape: number[]; data: number[] };
}

const snapshot = async (m: Module): Promise<Map<string, number[]>> =>
  new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Array.from(await t.data())] as [string, number[]])));

async function thrown(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OpenMindError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('adaptPretrainedWeights', () => {
  const fx = fixtureJson<ForwardFixture>('resenc-micro-forward.json');
  let ckpt: NnsslCheckpoint;
  let plan: AdaptationPlan;
  beforeAll(async () => {
    ckpt = await readNnsslCheckpoint(fixturePath('resenc-micro-nnssl.pth'));
    plan = ckpt.plan!;
  });
  const x = (channels = 1): Tensor => {
    const v = filledValues(fx.input);
    const [, , d, h, w] = fx.input.shape as [number, number, number, number, number];
    const data = new Float32Array(channels * v.length);
    for (let c = 0; c < channels; c++) data.set(v, c * v.length);
    return tensor(data, [1, channels, d, h, w]);
  };

  describe("having PyTorch's nnssl checkpoint of a micro ResEnc U-Net", () => {
    it('should read network_weights (with DNA alias keys) and the pickled adaptation plan', () => {
      expect(ckpt.weights.size).toBe(fx.keys);
      expect(ckpt.planSource).toBe('checkpoint');
      expect(ckpt.trainerName).toBe('BaseMAETrainer_BS8');
      expect(plan.keys_to_in_proj).toEqual(['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0']);
      expect(plan.architecture_plans.arch_kwargs?.['features_per_stage']).toEqual([4, 8, 16]);
    });

    // Tolerance: PyTorch ran in float32; the reference backend computes in float64 from the same float32
    // weights. Relative error = max |ours − torch| / max |torch| over the output must stay below 1e-4.
    it('should load every key (all mode) and reproduce PyTorch\'s output within 1e-4 relative', async () => {
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(5) });
      const report = adaptPretrainedWeights(net, ckpt.weights, { architecture: resencFactory, mode: 'all', plan, source: ckpt.source });
      expect(report.loaded.length).toBe(fx.keys - fx.aliasKeys);
      expect(report.aliases.length).toBe(fx.aliasKeys);
      expect(report.missing).toEqual([]);
      expect(report.aliasConflicts).toEqual([]);
      const y = tidy(() => net.eval().forward(x()));
      expect(y.shape).toEqual(fx.output.shape);
      const err = relativeError(await y.data(), fx.output.data);
      expect(err).toBeLessThan(1e-4);
      net.dispose();
    });

    it('should load stem and encoder only, repeating the input projection over 3 channels (encoder mode)', async () => {
      const one = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(5) });
      adaptPretrainedWeights(one, ckpt.weights, { architecture: resencFactory, mode: 'all', plan });
      const net = networkFromAdaptationPlan(plan, resencFactory, { inChannels: 3, outChannels: 2, rng: new Rng(9) });
      const decoderBefore = [...(await snapshot(net))].filter(([k]) => k.startsWith('decoder.'));
      const report = adaptPretrainedWeights(net, ckpt.weights, { architecture: resencFactory, mode: 'encoder', plan });
      expect(report.loaded.every((k) => k.startsWith('encoder.'))).toBe(true);
      expect(report.missing).toEqual(decoderBefore.map(([k]) => k));
      expect(report.skipped.map((s) => s.key).every((k) => k.startsWith('decoder.'))).toBe(true);
      expect(report.transformed.map((t) => t.key)).toEqual(['encoder.stem.convs.0.conv.weight', 'encoder.stem.convs.0.all_modules.0.weight']);
      const after = await snapshot(net);
      for (const [k, v] of decoderBefore) expect(after.get(k), k).toEqual(v);
      // Repeated weight / 3: the same image on all three channels gives the 1-channel network's features.
      const [a, b] = tidy(() => [one.encode(x(1)).at(-1)!, net.encode(x(3)).at(-1)!]);
      expect(relativeError(await b!.data(), await a!.data())).toBeLessThan(1e-5);
      one.dispose();
      net.dispose();
    });

    it('should skip seg layers of another class count (all-but-seg mode, nnssl load_pretrained_weights)', () => {
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 3, rng: new Rng(2) });
      const report = adaptPretrainedWeights(net, ckpt.weights, { architecture: resencFactory, mode: 'all-but-seg', plan });
      expect(report.missing.sort()).toEqual([...net.stateDict().keys()].filter((k) => k.includes('.seg_layers.')).sort());
      expect(report.skipped.filter((s) => s.key.includes('seg_layers')).length).toBe(4);
      net.dispose();
    });

    it("should fold DNA's alias keys only with the architecture's key mapping, and refuse a factory of another architecture", async () => {
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(1) });
      // Without the factory interop knows no aliases: a strict load then sees `…all_modules.0.*` as unexpected keys.
      const msg = await thrown(() => adaptPretrainedWeights(net, ckpt.weights, { mode: 'all', plan }));
      expect(msg).toContain("unexpected key 'encoder.stem.convs.0.all_modules.0.weight'");
      const other = { ...resencFactory, name: 'other', archClassNames: ['PrimusM'] };
      expect(await thrown(() => adaptPretrainedWeights(net, ckpt.weights, { mode: 'all', plan, architecture: other }))).toContain(
        "the adaptation plan's architecture 'ResidualEncoderUNet' is not one architecture 'other' builds (PrimusM)",
      );
      net.dispose();
    });

    it('should name the arch_class_name when no given factory builds it from a plan', async () => {
      const primusOnly = { ...resencFactory, name: 'primus', archClassNames: ['PrimusM'] };
      expect(await thrown(() => networkFromAdaptationPlan(plan, [primusOnly], { outChannels: 1, rng: new Rng(1) }))).toContain(
        "no loaded architecture builds 'ResidualEncoderUNet' from a plan (they build: PrimusM)",
      );
    });

    it('should strip DDP and torch.compile prefixes', () => {
      const wrapped = new Map([...ckpt.weights].map(([k, v]) => [`module._orig_mod.${k}`, v]));
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(1) });
      expect(adaptPretrainedWeights(net, wrapped, { architecture: resencFactory, mode: 'all', plan }).loaded.length).toBe(fx.keys - fx.aliasKeys);
      net.dispose();
    });

    it('should use the value PyTorch keeps when alias copies differ, and say so', async () => {
      // SparK's quirk: `conv` and `all_modules.0` hold different tensors. `decoder.encoder.*` is the same
      // encoder module in PyTorch, so its copies follow the encoder's.
      const w = new Map(ckpt.weights);
      const alias = 'encoder.stem.convs.0.all_modules.0.bias';
      const changed = float32Raw(rawValues(w.get(alias)!).map((v) => v + 1), w.get(alias)!.shape);
      w.set(alias, changed);
      w.set(`decoder.${alias}`, changed);
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(1) });
      const report = adaptPretrainedWeights(net, w, { architecture: resencFactory, mode: 'all', plan });
      expect(report.aliasConflicts).toHaveLength(1);
      expect(report.aliasConflicts[0]).toContain(`used 'decoder.${alias}'`);
      expect(Array.from(await net.stateDict().get('encoder.stem.convs.0.conv.bias')!.data())).toEqual(rawValues(changed));
      net.dispose();
    });
  });

  describe('having a checkpoint that does not fit the model', () => {
    it('should refuse a key with the wrong shape, listing it, and leave the model untouched', async () => {
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(3) });
      const before = await snapshot(net);
      const w = new Map(ckpt.weights);
      w.set('encoder.stages.1.blocks.0.conv1.conv.weight', float32Raw(new Float32Array(8 * 4 * 27), [8, 4, 3, 3, 3].reverse()));
      const msg = await thrown(() => adaptPretrainedWeights(net, w, { architecture: resencFactory, mode: 'all', plan, source: 'bad.pth' }));
      expect(msg).toContain('bad.pth');
      expect(msg).toContain("'encoder.stages.1.blocks.0.conv1.conv.weight' is float32[3, 3, 3, 4, 8] in the checkpoint, the model expects [8, 4, 3, 3, 3]");
      expect(msg).toContain('the model was not changed');
      expect(await snapshot(net)).toEqual(before);
      net.dispose();
    });

    it('should list missing and unexpected keys together (all mode)', async () => {
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(3) });
      const w = new Map(ckpt.weights);
      w.delete('decoder.transpconvs.0.bias');
      w.set('decoder.extra.weight', float32Raw([1], [1]));
      const msg = await thrown(() => adaptPretrainedWeights(net, w, { architecture: resencFactory, mode: 'all', plan }));
      expect(msg).toContain("missing key 'decoder.transpconvs.0.bias'");
      expect(msg).toContain("unexpected key 'decoder.extra.weight'");
      net.dispose();
    });

    it('should require the plan for encoder mode', async () => {
      const net = networkFromAdaptationPlan(plan, resencFactory, { outChannels: 1, rng: new Rng(3) });
      expect(await thrown(() => adaptPretrainedWeights(net, ckpt.weights, { architecture: resencFactory, mode: 'encoder' }))).toContain('needs the checkpoint\'s adaptation plan');
      net.dispose();
    });
  });

  describe('having a learned position embedding of another token grid (Primus-like)', () => {
    class TinyTokenNet extends Module {
      constructor(tokens: number) {
        super();
        const eva = this.child('eva', new (class extends Module {
          constructor() {
            super();
            this.param('pos_embed', zeros([1, tokens, 5]));
          }
        })());
        void eva;
        this.child('down_projection', new (class extends Module {
          constructor() {
            super();
            this.param('weight', zeros([5, 1]));
          }
        })());
      }
    }
    const pe = fixtureJson<{ oldGrid: [number, number, number]; newGrid: [number, number, number]; input: ValueRecipe; output: { shape: number[]; data: number[] } }>('pos-embed.json');
    const tokenPlan = (): AdaptationPlan => ({
      ...plan,
      architecture_plans: { arch_class_name: 'PrimusM', arch_kwargs: null, arch_kwargs_requiring_import: null },
      key_to_encoder: 'eva', key_to_stem: 'down_projection', keys_to_in_proj: ['down_projection'], key_to_lpe: 'eva.pos_embed',
    });

    it('should resize it trilinearly like F.interpolate (within 1e-6) when grids are given, and refuse without them', async () => {
      const weights = new Map<string, RawTensor>([
        ['eva.pos_embed', float32Raw(filledValues(pe.input), pe.input.shape)],
        ['down_projection.weight', float32Raw([1, 2, 3, 4, 5], [5, 1])],
      ]);
      const net = new TinyTokenNet(pe.output.shape[1]!);
      expect(await thrown(() => adaptPretrainedWeights(net, weights, { plan: tokenPlan() }))).toContain('pass positionEmbedding grids');
      const report = adaptPretrainedWeights(net, weights, { plan: tokenPlan(), positionEmbedding: { sourceGrid: pe.oldGrid, targetGrid: pe.newGrid } });
      expect(report.transformed[0]!.key).toBe('eva.pos_embed');
      const got = await net.stateDict().get('eva.pos_embed')!.data();
      expect(relativeError(got, pe.output.data)).toBeLessThan(1e-6);
    });
  });
});
