import type { Rng } from '../random/rng.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import type { EncoderFeatures } from './capabilities/encoder-features.js';

/** Options every architecture factory accepts. */
export interface ArchitectureOptions {
  inChannels: number;
  outChannels: number;
  /** Network input patch [d, h, w] (transformers size their position embedding from it). */
  patchSize: readonly [number, number, number];
  rng: Rng;
  /** Build only the encoder (contrastive methods); forward then returns the stage outputs. */
  encoderOnly?: boolean;
  /** Return every decoder resolution (deep supervision). */
  deepSupervision?: boolean;
}

/**
 * A network with the attributes nnssl's adaptation plan records, and its encoder's features. Further
 * capabilities a method may ask for are separate interfaces with type guards (capabilities/): token
 * networks, a stage mask hook, sparse encoding, decoding supplied features; and of the factory: building
 * from an adaptation plan, PyTorch keys.
 */
export interface Architecture extends Module, EncoderFeatures {
  /** Full network: [N, inChannels, ...patch] → [N, outChannels, ...patch]. */
  forward(x: Tensor): Tensor;
  readonly keyToEncoder: string;
  readonly keyToStem: string;
  readonly keysToInProj: readonly string[];
  readonly keyToLpe?: string;
  /** nnssl's arch_class_name of this network (e.g. 'ResEncL', or 'ResidualEncoderUNet' with kwargs). */
  readonly archClassName: string;
  /** nnssl's arch_kwargs (null for named presets such as 'ResEncL'). */
  readonly archKwargs: Record<string, unknown> | null;
}

/**
 * Builds architectures of one family by preset name (e.g. 'resenc-l', 'resenc-tiny'). Optional
 * capabilities (see capabilities/): `createTokenNetwork`, `fromAdaptationPlan` + `archClassNames`,
 * `pytorchKeys`.
 */
export interface ArchitectureFactory {
  readonly name: string;
  readonly presets: readonly string[];
  create(preset: string, options: ArchitectureOptions): Architecture;
}
