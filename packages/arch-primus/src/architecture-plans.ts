import { type AdaptationPlan, OpenMindError, shortArchClassName } from '@openmind-ssl/core';
import { checkPrimusConfig, type PrimusConfig, type Triple } from './config.js';
import { PRIMUS_PRESETS, type PrimusPreset } from './presets.js';

const fail = (field: string, expected: string, got: unknown): never => {
  throw new OpenMindError(`architecture_plans.arch_kwargs: '${field}' must be ${expected}, but got ${JSON.stringify(got)}.`);
};

function num(k: Record<string, unknown>, field: string, integer: boolean): number {
  const v = k[field];
  if (typeof v !== 'number' || (integer && !Number.isInteger(v))) return fail(field, integer ? 'an integer' : 'a number', v);
  return v;
}

function bool(k: Record<string, unknown>, field: string): boolean {
  const v = k[field];
  return typeof v === 'boolean' ? v : fail(field, 'true or false', v);
}

/**
 * The config and arch_class_name of the Primus an nnssl `architecture_plans` block describes: one of
 * nnssl's named classes 'PrimusS' … 'PrimusL' (no kwargs), or 'Primus' with DNA's constructor arguments
 * as arch_kwargs (what `primusArchKwargs` writes).
 * @throws OpenMindError naming the field for another architecture or a missing or malformed kwarg.
 */
export function primusConfigFromArchitecturePlans(plans: AdaptationPlan['architecture_plans']): { config: PrimusConfig; archClassName: PrimusPreset['archClassName'] } {
  const name = shortArchClassName(plans.arch_class_name);
  const named = Object.values(PRIMUS_PRESETS).find((p) => p.archClassName === name && name !== 'Primus');
  if (named) return { config: named.config, archClassName: named.archClassName };
  if (name !== 'Primus' || !plans.arch_kwargs) {
    throw new OpenMindError(
      `architecture_plans: arch_class_name must be PrimusS, PrimusB, PrimusM, PrimusL, or 'Primus' with arch_kwargs, but got '${plans.arch_class_name}'${plans.arch_kwargs ? '' : ' without arch_kwargs'}.`,
    );
  }
  const k = plans.arch_kwargs;
  const patch = k['patch_embed_size'];
  if (!Array.isArray(patch) || patch.length !== 3 || patch.some((p) => !Number.isInteger(p))) fail('patch_embed_size', '[d, h, w] integers', patch);
  const initValues = k['init_values'];
  if (initValues !== null && initValues !== undefined && typeof initValues !== 'number') fail('init_values', 'a number or null', initValues);
  const config: PrimusConfig = {
    embedDim: num(k, 'embed_dim', true),
    patchEmbedSize: [...(patch as number[])] as unknown as Triple,
    depth: num(k, 'eva_depth', true),
    numHeads: num(k, 'eva_numheads', true),
    mlpRatio: num(k, 'mlp_ratio', false),
    initValues: (initValues as number | null | undefined) ?? undefined,
    scaleAttnInner: bool(k, 'scale_attn_inner'),
    useRotPosEmb: bool(k, 'use_rot_pos_emb'),
    useAbsPosEmb: bool(k, 'use_abs_pos_embed'),
  };
  return { config: checkPrimusConfig(config), archClassName: 'Primus' };
}
