import type { Module } from '../../nn/module.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Architecture, ArchitectureFactory, ArchitectureOptions } from '../architecture.js';
import type { Triple3 } from './encoder-features.js';

/**
 * Which tokens each sample keeps (MAE-style token dropping): `indices` is row-major [N, K], each row K
 * distinct token indices in [0, T) in any order. Drawn on the host by the method, from its own Rng.
 */
export interface TokenKeep {
  readonly indices: Int32Array;
  /** K, the tokens kept per sample. */
  readonly perSample: number;
}

/** Options of a token transformer's forward pass. */
export interface TokenForwardOptions {
  /** Keep only these tokens (position and rotary embeddings follow them); default all. */
  keep?: TokenKeep;
  /** Randomness of stochastic depth in training mode. */
  rng?: Rng;
}

/** A transformer over a fixed token grid: [N, T, C] → [N, T or K, C]. */
export interface TokenTransformer extends Module {
  forward(tokens: Tensor, options?: TokenForwardOptions): Tensor;
}

/** Options of `TokenNetwork.createTokenTransformer`. */
export interface TokenTransformerOptions {
  depth: number;
  /** Heads (default: those of the network). */
  numHeads?: number;
  dropPathRate?: number;
  rng: Rng;
}

/**
 * A patch-token network (Primus): an input volume becomes a grid of tokens in one fixed order, an encoder
 * runs over a subset of them, and a decoder maps tokens back to voxels. Token-level methods (MAE with
 * token dropping, SimMIM on tokens) work through these members instead of `forward`.
 */
export interface TokenNetwork {
  /** Tokens per axis [D', H', W'] at the network's patch size. */
  readonly tokenGrid: Triple3;
  /** Voxels per token [pd, ph, pw]. */
  readonly tokenPatch: Triple3;
  /** Token width (channels per token). */
  readonly tokenWidth: number;
  /** Attention heads of the encoder. */
  readonly numHeads: number;
  /** [N, C, d, h, w] → [N, T, tokenWidth], in the network's one token order. */
  embedTokens(x: Tensor): Tensor;
  /** The encoder over tokens: [N, T, width] → [N, K, width] for the kept tokens (all when no keep). */
  encodeTokens(tokens: Tensor, options?: TokenForwardOptions): Tensor;
  /** [N, T, width] → [N, outChannels, d, h, w]. */
  decodeTokens(tokens: Tensor): Tensor;
  /** One value per token (row-major [N, T]) spread over the voxels of that token: row-major [N, 1, d, h, w]. */
  tokenFlagsToVoxels(flags: ArrayLike<number>, n: number): Float32Array;
  /** A new transformer of the same width and block design over the same grid (e.g. an MAE decoder). */
  createTokenTransformer(options: TokenTransformerOptions): TokenTransformer;
}

const TOKEN_METHODS = ['embedTokens', 'encodeTokens', 'decodeTokens', 'tokenFlagsToVoxels', 'createTokenTransformer'] as const;

/** Whether `net` is a TokenNetwork (checks every member function and the grid, not a tag). */
export function isTokenNetwork(net: unknown): net is TokenNetwork {
  const n = net as Partial<TokenNetwork> | null | undefined;
  return !!n && TOKEN_METHODS.every((m) => typeof n[m] === 'function') && Array.isArray(n.tokenGrid) && Array.isArray(n.tokenPatch);
}

/** The TokenNetwork members `net` lacks (for error messages). */
export function missingTokenMembers(net: unknown): string[] {
  const n = (net ?? {}) as Record<string, unknown>;
  return [...TOKEN_METHODS.filter((m) => typeof n[m] !== 'function').map((m) => `${m}()`), ...(['tokenGrid', 'tokenPatch'] as const).filter((k) => !Array.isArray(n[k]))];
}

/** Options of `TokenNetworkFactory.createTokenNetwork`. */
export interface TokenNetworkOptions extends ArchitectureOptions {
  /** Stochastic depth of the last encoder block (nnssl's Primus MAE uses 0.2). */
  dropPathRate?: number;
}

/** An architecture factory that builds token networks. */
export interface TokenNetworkFactory extends ArchitectureFactory {
  createTokenNetwork(preset: string, options: TokenNetworkOptions): Architecture & TokenNetwork;
}

/** Whether `factory` builds token networks (it has `createTokenNetwork`). */
export function buildsTokenNetworks(factory: ArchitectureFactory | undefined): factory is TokenNetworkFactory {
  return typeof (factory as Partial<TokenNetworkFactory> | undefined)?.createTokenNetwork === 'function';
}
