import { didYouMean, OpenMindError } from '@openmind-ssl/core';
import type { PrimusConfig } from './config.js';

/** A named Primus configuration. */
export interface PrimusPreset {
  /** Preset id, the `--arch` value (e.g. 'primus-m'). */
  readonly name: string;
  /**
   * nnssl's arch_class_name: 'PrimusS/B/M/L' are fixed architectures of nnssl's registry (no kwargs);
   * other configs are written as 'Primus' with DNA's constructor arguments as arch_kwargs.
   */
  readonly archClassName: 'PrimusS' | 'PrimusB' | 'PrimusM' | 'PrimusL' | 'Primus';
  readonly config: PrimusConfig;
  /** One line for help texts. */
  readonly description: string;
}

// DNA's PrimusS/B/M/L defaults: 8³ tokens, mlp_ratio 4·2/3, LayerScale 0.1, inner attention norm, both
// position embeddings (nnssl-spec §4.3).
const COMMON = {
  patchEmbedSize: [8, 8, 8],
  mlpRatio: (4 * 2) / 3,
  initValues: 0.1,
  scaleAttnInner: true,
  useAbsPosEmb: true,
  useRotPosEmb: true,
} as const;

/** The presets built into this package. */
export const PRIMUS_PRESETS: Readonly<Record<string, PrimusPreset>> = {
  'primus-s': {
    name: 'primus-s',
    archClassName: 'PrimusS',
    description: 'Primus-S: width 396, 12 blocks, 6 heads (26.3 M parameters at 160³, 1→1)',
    config: { embedDim: 396, depth: 12, numHeads: 6, ...COMMON },
  },
  'primus-b': {
    name: 'primus-b',
    archClassName: 'PrimusB',
    description: 'Primus-B: width 792, 12 blocks, 12 heads (98.0 M parameters at 160³, 1→1)',
    config: { embedDim: 792, depth: 12, numHeads: 12, ...COMMON },
  },
  'primus-m': {
    name: 'primus-m',
    archClassName: 'PrimusM',
    description: 'Primus-M of nnssl/OpenMind: width 864, 16 blocks, 12 heads (151.8 M parameters at 160³, 1→1)',
    config: { embedDim: 864, depth: 16, numHeads: 12, ...COMMON },
  },
  'primus-l': {
    name: 'primus-l',
    archClassName: 'PrimusL',
    description: 'Primus-L: width 1056, 24 blocks, 16 heads (331.8 M parameters at 160³, 1→1)',
    config: { embedDim: 1056, depth: 24, numHeads: 16, ...COMMON },
  },
  'primus-tiny': {
    name: 'primus-tiny',
    archClassName: 'Primus',
    description: 'demo/test-sized: width 96, 4 blocks, 4 heads, 8³ tokens (input divisible by 8)',
    config: { embedDim: 96, depth: 4, numHeads: 4, ...COMMON },
  },
};

/** Preset names, the reference sizes first. */
export const PRIMUS_PRESET_NAMES: readonly string[] = Object.keys(PRIMUS_PRESETS);

/**
 * Looks a preset up by name.
 * @throws OpenMindError listing the known presets (with a did-you-mean) for an unknown name.
 */
export function primusPreset(name: string): PrimusPreset {
  const p = PRIMUS_PRESETS[name];
  if (!p) {
    throw new OpenMindError(
      `arch-primus: no preset named "${name}".${didYouMean(name, PRIMUS_PRESET_NAMES)} Available: ${PRIMUS_PRESET_NAMES.join(', ')}.`,
    );
  }
  return p;
}
