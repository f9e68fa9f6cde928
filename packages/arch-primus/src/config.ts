import { OpenMindError } from '@openmind-ssl/core';

/** A size per spatial axis, ordered [d, h, w]. */
export type Triple = readonly [number, number, number];

/**
 * Hyper-parameters of a Primus network, named after dynamic-network-architectures' `Primus` arguments
 * (camelCase here, snake_case in nnssl plans).
 */
export interface PrimusConfig {
  /** Token width (embed_dim). */
  embedDim: number;
  /** Number of EVA blocks (eva_depth). */
  depth: number;
  /** Attention heads (eva_numheads); embedDim / numHeads must be a multiple of 6 for the 3D RoPE. */
  numHeads: number;
  /** Voxels per token along each axis (patch_embed_size); powers of two, 8³ for every preset. */
  patchEmbedSize: Triple;
  /** SwiGLU hidden width = trunc(embedDim · mlpRatio) (DNA default 4·2/3). */
  mlpRatio: number;
  /** LayerScale initial value (init_values); undefined = no LayerScale. */
  initValues: number | undefined;
  /** LayerNorm on the merged heads before the attention output projection (scale_attn_inner). */
  scaleAttnInner: boolean;
  /** Learned absolute position embedding `eva.pos_embed` (use_abs_pos_embed). */
  useAbsPosEmb: boolean;
  /** 3D rotary embedding of queries and keys (use_rot_pos_emb). */
  useRotPosEmb: boolean;
}

/** The SwiGLU hidden width, computed exactly as Python's int(dim * ratio). */
export function mlpHidden(c: Pick<PrimusConfig, 'embedDim' | 'mlpRatio'>): number {
  return Math.trunc(c.embedDim * c.mlpRatio);
}

/** Channels per head. */
export function headDim(c: Pick<PrimusConfig, 'embedDim' | 'numHeads'>): number {
  return c.embedDim / c.numHeads;
}

const isPositiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;

/**
 * Checks a config.
 * @throws OpenMindError naming the field when a size is not a positive integer, the heads do not divide
 *   the width, the head width is not a multiple of 6 with RoPE on (DNA's rope_dim = head_dim/1.5 must be a
 *   multiple of 4), or a patch edge is not a power of two ≥ 2 (PatchDecode upsamples by 2 per stage).
 */
export function checkPrimusConfig(c: PrimusConfig): PrimusConfig {
  for (const field of ['embedDim', 'depth', 'numHeads'] as const) {
    if (!isPositiveInt(c[field])) throw new OpenMindError(`Primus: ${field} must be a positive integer, but got ${c[field]}.`);
  }
  if (c.embedDim % c.numHeads !== 0) {
    throw new OpenMindError(`Primus: embedDim ${c.embedDim} must be divisible by numHeads ${c.numHeads}.`);
  }
  if (c.useRotPosEmb && headDim(c) % 6 !== 0) {
    throw new OpenMindError(
      `Primus: the head width embedDim/numHeads = ${headDim(c)} must be a multiple of 6 for the 3D rotary embedding (4 channels per band and axis).`,
    );
  }
  if (c.patchEmbedSize.length !== 3 || c.patchEmbedSize.some((p) => !isPositiveInt(p) || p < 2 || (p & (p - 1)) !== 0)) {
    throw new OpenMindError(`Primus: patchEmbedSize must be [d, h, w] of powers of two ≥ 2, but got ${JSON.stringify(c.patchEmbedSize)}.`);
  }
  if (!(c.mlpRatio > 0) || mlpHidden(c) < 1) throw new OpenMindError(`Primus: mlpRatio must be > 0, but got ${c.mlpRatio}.`);
  return c;
}

/**
 * Tokens per axis for an input patch: patchSize / patchEmbedSize.
 * @throws OpenMindError when an input edge is not a positive multiple of the token edge.
 */
export function tokenGridOf(patchSize: readonly number[], patchEmbedSize: Triple): Triple {
  if (patchSize.length !== 3 || patchSize.some((s, i) => !isPositiveInt(s) || s % patchEmbedSize[i]! !== 0)) {
    throw new OpenMindError(
      `Primus: patchSize [${patchSize.join(', ')}] must be positive multiples of the token size [${patchEmbedSize.join(', ')}].`,
    );
  }
  return [patchSize[0]! / patchEmbedSize[0], patchSize[1]! / patchEmbedSize[1], patchSize[2]! / patchEmbedSize[2]];
}
