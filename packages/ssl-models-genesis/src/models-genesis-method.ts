import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, buildsTokenNetworks, type DataPipeline, type HostBatch, mse, OpenMindError,
  poly, type Reconstruction, type Rng, type Sample, SGD, type SSLMethod, type SSLMethodContext, type Tensor, tensor, type TrainingRecipe, warmupPoly,
} from '@openmind-ssl/core';
import type { GenesisCnnConfig, GenesisConfig, GenesisTokenConfig } from './config.js';
import { corruptSample } from './corrupt.js';
import { drawGenesisPlan, type GenesisRates } from './genesis-plan.js';
import type { ModelsGenesisSamplerOptions } from './models-genesis-sampler.js';

/** The sampler module beside this file: src/…sampler.ts from source, dist/…sampler.js when built. */
const samplerModule = fileURLToPath(new URL(`./models-genesis-sampler${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

const isToken = (c: GenesisConfig): c is GenesisTokenConfig => 'warmupEpochs' in c;

/**
 * Models Genesis (nnssl ModelGenesisTrainer, and its Primus form ModelGenesisEvaTrainer): the network
 * restores the flipped volume from its corrupted copy (local pixel shuffling, Bézier intensity mapping,
 * in- or out-painting); the loss is the MSE over all voxels (over the non-defaced ones with
 * excludeAnonymized). ResEnc reconstructs with its U-Net decoder, Primus with its patch decoder, both to
 * the input's channels.
 * @see Zhou et al., "Models Genesis", MedIA 2021; nnssl-spec §3.8
 */
export class ModelsGenesisMethod implements SSLMethod {
  readonly id = 'models-genesis';
  readonly network: Architecture;

  constructor(private readonly ctx: SSLMethodContext<GenesisConfig>) {
    const c = ctx.config;
    const token = buildsTokenNetworks(ctx.architecture);
    if (token !== isToken(c)) throw new OpenMindError(`Models Genesis: the config does not fit architecture '${ctx.architecture.name}' (validate it with modelsGenesisFactory.configSchema(architecture))`);
    const options = { inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: ctx.patchSize, rng: ctx.rng.fork() };
    this.network = token && isToken(c) && buildsTokenNetworks(ctx.architecture)
      ? ctx.architecture.createTokenNetwork(ctx.preset, { ...options, dropPathRate: c.dropPathRate })
      : ctx.architecture.create(ctx.preset, options);
  }

  private get rates(): GenesisRates {
    const c = this.ctx.config;
    return { flip: c.flipRate, localShuffle: c.localShuffleRate, nonlinear: c.nonlinearRate, paint: c.paintRate, inpaint: c.inpaintRate };
  }

  /** The worker-side sampler's options (the same as the host fallback's). */
  samplerOptions(): ModelsGenesisSamplerOptions {
    return { rates: this.rates, intensity: this.ctx.config.intensity, nnsslFlipAxes: this.ctx.config.nnsslFlipAxes };
  }

  /**
   * The network input and target of a batch: the views `input` and `target` the data workers made, or —
   * for a plain batch (the report's, or a host without views) — the same corruption drawn here from `rng`.
   */
  private pair(batch: HostBatch, rng: Rng): { input: Float32Array; target: Float32Array; anon: Uint8Array | undefined } {
    const vi = batch.views?.['input'];
    const vt = batch.views?.['target'];
    if (vi && vt) return { input: vi.image, target: vt.image, anon: vt.masks?.anonymization };
    const [n, ch, d, h, w] = batch.shape;
    const per = ch * d * h * w;
    const input = new Float32Array(batch.image.length);
    const target = new Float32Array(batch.image.length);
    const anonAll = batch.masks?.anonymization;
    const anon = anonAll ? new Uint8Array(anonAll.length) : undefined;
    const axes = this.ctx.config.nnsslFlipAxes ? [0, 1, 2] : [1, 2, 3];
    for (let s = 0; s < n; s++) {
      const masks: NonNullable<Sample['masks']> = anonAll ? { anon: { data: anonAll.slice(s * d * h * w, (s + 1) * d * h * w), channels: 1 } } : {};
      const plan = drawGenesisPlan([d, h, w], this.rates, axes, rng);
      const out = corruptSample({ image: batch.image.slice(s * per, (s + 1) * per), shape: [ch, d, h, w], masks }, plan, this.ctx.config.intensity);
      input.set(out.input.image, s * per);
      target.set(out.target.image, s * per);
      if (anon) anon.set(out.target.masks!['anon']!.data, s * d * h * w);
    }
    return { input, target, anon };
  }

  /** Target (the flipped original), corrupted input and the network's restoration. */
  reconstruct(batch: HostBatch, rng: Rng): Reconstruction & { anonymization?: Uint8Array } {
    const { input, target, anon } = this.pair(batch, rng);
    const corrupted = tensor(input, batch.shape);
    return { input: tensor(target, batch.shape), corrupted, output: this.network.forward(corrupted), ...(anon ? { anonymization: anon } : {}) };
  }

  /** MSE over all voxels (nnssl MSELoss), or over the non-defaced ones (LossMaskMSELoss, mask 1 − anon). */
  loss(batch: HostBatch, rng: Rng): Tensor {
    const r = this.reconstruct(batch, rng);
    if (!this.ctx.config.excludeAnonymized) return mse(r.output, r.input);
    const [n, , d, h, w] = batch.shape;
    const keep = new Float32Array(n * d * h * w).fill(1);
    if (r.anonymization) for (let i = 0; i < keep.length; i++) keep[i] = 1 - r.anonymization[i]!;
    return mse(r.output, r.input, tensor(keep, [n, 1, d, h, w]));
  }

  recipe(s: { epochs: number }): TrainingRecipe {
    const c = this.ctx.config;
    if (isToken(c)) {
      return {
        optimizer: new AdamW(this.network.parameters(), { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }),
        schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs), scheduleUnit: 'epoch', gradClip: c.gradClip,
      };
    }
    const g = c as GenesisCnnConfig;
    return {
      optimizer: new SGD(this.network.parameters(), { lr: g.lr, momentum: g.momentum, nesterov: g.nesterov, weightDecay: g.weightDecay }),
      schedule: poly(g.lr, s.epochs), scheduleUnit: 'epoch', gradClip: g.gradClip,
    };
  }

  /** nnssl's Models Genesis loader: random crops of the network patch, no other augmentation, the corruption in the workers. */
  dataPipeline(): DataPipeline {
    return {
      loaderPatchSize: [...this.ctx.patchSize] as [number, number, number],
      views: {
        sampler: { module: samplerModule, exportName: 'modelsGenesisSampler', args: [this.samplerOptions()] },
        views: [{ name: 'input', crops: 1 }, { name: 'target', crops: 1 }],
      },
    };
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network, this.ctx);
  }
}
