import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, type DataPipeline, type HostBatch, isTokenNetwork, missingTokenMembers,
  Module, OpenMindError, randn, type Reconstruction, reshape, type Rng, scatterAdd, type SSLMethod, type SSLMethodContext, type Tensor, tensor,
  type TokenKeep, type TokenNetwork, type TokenNetworkFactory, type TokenTransformer, type TrainingRecipe, warmupPoly,
} from '@openmind-ssl/core';
import { z } from 'zod';
import { maeDataPipeline } from './data-pipeline.js';
import { maskedMse } from './loss.js';

// MAE on a patch-token transformer (nnssl BaseEvaMAETrainer with EvaMAE, nnssl-spec §3.3, §4.4): tokens
// are dropped inside the network instead of zeroing voxels. This file holds that variant's config, its
// pre-training network and the method; what it needs of the architecture is core's TokenNetwork, and
// plugin.ts picks this variant when the factory builds token networks (core's buildsTokenNetworks).

/** Options of MAE on a token transformer; defaults are nnssl's BaseEvaMAETrainer. */
export const tokenMaeConfigSchema = z.strictObject({
  /** Fraction of tokens dropped per sample (timm PatchDropout keeps max(1, trunc(T·(1 − ratio)))). */
  maskRatio: z.number().gt(0).lt(1).default(0.75),
  /** EVA blocks of the decoder that fills in the mask tokens. */
  decoderDepth: z.number().int().positive().default(2),
  /** Decoder heads (default: the encoder's; 12 for Primus-M, as nnssl). */
  decoderHeads: z.number().int().positive().optional(),
  /** Stochastic depth of the last encoder and decoder block. */
  dropPathRate: z.number().min(0).lt(1).default(0.2),
  /** Also exclude defaced voxels (anonymization mask) from the loss. */
  excludeAnonymized: z.boolean().default(false),
  /** AdamW peak learning rate, reached after the warm-up. */
  lr: z.number().positive().default(3e-4),
  weightDecay: z.number().min(0).default(5e-2),
  betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.9, 0.98]),
  /** Epochs of linear warm-up before the poly decay. */
  warmupEpochs: z.number().int().min(0).default(50),
  /** Global gradient-norm clip. */
  gradClip: z.number().positive().default(1),
});

export type TokenMaeConfig = z.infer<typeof tokenMaeConfigSchema>;

/**
 * timm PatchDropout's choice: each sample keeps a uniformly random set of K = max(1, trunc(T·(1 − ratio)))
 * tokens (unordered), drawn from `rng`.
 */
export function drawTokenKeep(n: number, tokens: number, ratio: number, rng: Rng): TokenKeep {
  const k = Math.max(1, Math.trunc(tokens * (1 - ratio)));
  const indices = new Int32Array(n * k);
  for (let s = 0; s < n; s++) indices.set(rng.permutation(tokens).subarray(0, k), s * k);
  return { indices, perSample: k };
}

/** Per-token flags [N·T]: 1 where kept. */
function keptFlags(keep: TokenKeep, tokens: number): Uint8Array {
  const n = keep.indices.length / keep.perSample;
  const flags = new Uint8Array(n * tokens);
  keep.indices.forEach((t, i) => (flags[Math.floor(i / keep.perSample) * tokens + t] = 1));
  return flags;
}

/**
 * nnssl's EvaMAE as a module: the architecture's own parts (`down_projection`, `eva`, `up_projection` for
 * Primus, under the same keys), an EVA `decoder` and a learned `mask_token` [1, 1, width] ~ N(0, 10⁻⁶).
 */
export class TokenMaeNetwork extends Module {
  readonly decoder: TokenTransformer;
  readonly mask_token: Tensor;
  readonly tokens: number;

  constructor(
    readonly architecture: Architecture & TokenNetwork,
    o: { decoderDepth: number; decoderHeads?: number; dropPathRate: number; rng: Rng },
  ) {
    super();
    // Adopting the children keeps the keys the adaptation plan names (eva.*, down_projection.*).
    for (const [name, m] of architecture.namedChildren()) this.child(name, m);
    const g = architecture.tokenGrid;
    this.tokens = g[0] * g[1] * g[2];
    this.decoder = this.child('decoder', architecture.createTokenTransformer({
      depth: o.decoderDepth, numHeads: o.decoderHeads ?? architecture.numHeads, dropPathRate: o.dropPathRate, rng: o.rng.fork(),
    }));
    this.mask_token = this.param('mask_token', randn([1, 1, architecture.tokenWidth], o.rng, { std: 1e-6 }));
  }

  /**
   * Encodes the kept tokens, puts them back in place with the mask token everywhere else
   * (restore_full_sequence), decodes, and projects back to voxels.
   * @param x [N, C, d, h, w], the full (unmasked) input
   */
  forward(x: Tensor, keep: TokenKeep, rng?: Rng): Tensor {
    const arch = this.architecture;
    const encoded = arch.encodeTokens(arch.embedTokens(x), { keep, ...(rng ? { rng } : {}) });
    const [n, k, c] = encoded.shape as [number, number, number];
    const flat = tensor(keep.indices.map((t, i) => Math.floor(i / k) * this.tokens + t), [n * k], { dtype: 'int32', engine: x.engine });
    const placed = reshape(scatterAdd(reshape(encoded, [n * k, c]), flat, 0, [n * this.tokens, c]), [n, this.tokens, c]);
    const dropped = Float32Array.from(keptFlags(keep, this.tokens), (f) => 1 - f);
    const full = placed.add(tensor(dropped, [n, this.tokens, 1], { engine: x.engine }).mul(this.mask_token));
    return arch.decodeTokens(this.decoder.forward(full, rng ? { rng } : {}));
  }

  override dispose(): void {
    super.dispose();
    this.architecture.dispose();
  }
}

/**
 * Masked autoencoding with a token transformer (Primus): the full image is embedded, a random 75% of
 * tokens is dropped inside the encoder, a small EVA decoder fills mask tokens in, and the loss is the MSE
 * over exactly the voxels of the dropped tokens. Unlike nnssl, whose loss mask is the dim-2↔3 transpose of
 * the drop pattern (nnssl-spec §3.3, §9.2), the mask here comes from the architecture's own token order.
 */
export class TokenMaeMethod implements SSLMethod {
  readonly id = 'mae';
  readonly network: TokenMaeNetwork;
  readonly config: TokenMaeConfig;
  private readonly arch: Architecture & TokenNetwork;

  /**
   * `ctx.config` is validated by the host with tokenMaeConfigSchema (maeFactory.configSchema).
   * @throws OpenMindError when the factory's network is not a TokenNetwork after all (naming what it lacks).
   */
  constructor(private readonly ctx: SSLMethodContext<TokenMaeConfig> & { architecture: TokenNetworkFactory }) {
    this.config = ctx.config;
    const rng = ctx.rng.fork();
    const net: unknown = ctx.architecture.createTokenNetwork(ctx.preset, {
      inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: ctx.patchSize, rng, dropPathRate: this.config.dropPathRate,
    });
    // A JavaScript plugin is not type-checked: make sure the network really is what the factory promises.
    if (!isTokenNetwork(net)) {
      throw new OpenMindError(`MAE: architecture '${ctx.architecture.name}' builds token networks, but preset '${ctx.preset}' lacks ${missingTokenMembers(net).join(', ')}.`);
    }
    this.arch = net as Architecture & TokenNetwork;
    this.network = new TokenMaeNetwork(this.arch, { ...this.config, rng });
  }

  /** The kept tokens of each sample, the voxel mask (1 = visible), the visible input and the reconstruction. */
  reconstruct(batch: HostBatch, rng: Rng): Reconstruction & { mask: Uint8Array; keep: TokenKeep } {
    const n = batch.shape[0];
    const keep = drawTokenKeep(n, this.network.tokens, this.config.maskRatio, rng);
    const x = tensor(batch.image, batch.shape);
    const visible = this.arch.tokenFlagsToVoxels(keptFlags(keep, this.network.tokens), n);
    const corrupted = x.mul(tensor(visible, [n, 1, ...batch.shape.slice(2)]));
    return { input: x, corrupted, output: this.network.forward(x, keep, rng), mask: new Uint8Array(visible), keep };
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    const { output, mask } = this.reconstruct(batch, rng);
    const anon = this.config.excludeAnonymized ? batch.masks?.anonymization : undefined;
    // A loop, not Float32Array.from(mask, fn): V8 maps through its generic path, 80 ms a step at 2 × 64³.
    const lossMask = new Float32Array(mask.length);
    for (let i = 0; i < mask.length; i++) lossMask[i] = mask[i] || anon?.[i] ? 0 : 1;
    const [n, , d, h, w] = batch.shape;
    return maskedMse(output, tensor(batch.image, batch.shape), tensor(lossMask, [n, 1, d, h, w]));
  }

  /** AdamW with linear warm-up then poly decay per epoch, gradient clip (BaseEvaMAETrainer). */
  recipe(s: { epochs: number }): TrainingRecipe {
    const c = this.config;
    return {
      optimizer: new AdamW(this.network.parameters(), { lr: c.lr, betas: c.betas, weightDecay: c.weightDecay }),
      schedule: warmupPoly(c.lr, c.warmupEpochs, s.epochs),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  /** BaseEvaMAETrainer inherits BaseMAETrainer's pipeline. */
  dataPipeline(): DataPipeline {
    return maeDataPipeline(this.ctx.patchSize);
  }

  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.arch, this.ctx);
  }
}
