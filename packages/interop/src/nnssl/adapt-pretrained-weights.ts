import { type AdaptationPlan, type HostTensor, type Module, OpenMindError, getEngine, shapesEqual, type Tensor, tensor } from '@openmind-ssl/core';
import { type RawTensor, toHostTensor } from '../torch/raw-tensor.js';
import { type Grid3, resizePositionEmbedding } from './resize-position-embedding.js';
import { repeatInputProjection } from './repeat-input-projection.js';
import { keyMappingOf, type KeyMappingSource } from './key-mapping.js';

/**
 * What to take from a checkpoint:
 * - 'encoder': the plan's stem and encoder (nnU-Net's pretrained fine-tuning); the rest of the model keeps
 *   its initialisation; every key under the stem/encoder prefixes must match (strict, as in nnssl);
 * - 'all-but-seg': every key of the model except `.seg_layers.` must be in the checkpoint (nnssl's
 *   `load_pretrained_weights`); extra checkpoint keys are ignored;
 * - 'all': PyTorch's strict load_state_dict — the key sets must be equal.
 */
export type AdaptMode = 'encoder' | 'all-but-seg' | 'all';

/** The prefixes of the target model (default: its own `keyToEncoder`/`keyToStem`/… attributes, else the plan's). */
export interface AdaptTarget {
  keyToEncoder?: string;
  keyToStem?: string;
  keysToInProj?: readonly string[];
  keyToLpe?: string | null;
}

/**
 * Options of `adaptPretrainedWeights`. `architecture` (the factory of the model, e.g. resencFactory) or
 * `mapping` supplies the PyTorch alias keys to fold; with neither, keys are taken as they are.
 */
export interface AdaptOptions extends KeyMappingSource {
  mode?: AdaptMode;
  /** The checkpoint's adaptation plan; required for 'encoder' mode, used by every mode for in-proj/LPE keys. */
  plan?: AdaptationPlan;
  target?: AdaptTarget;
  /** Token grids (pre-training, downstream) when the position embedding's token count differs. */
  positionEmbedding?: { sourceGrid: Grid3; targetGrid: Grid3; prefixTokens?: number };
  /** Substrings of model keys 'all-but-seg' leaves alone. Default ['.seg_layers.']. */
  skip?: readonly string[];
  /** Names the checkpoint in messages. */
  source?: string;
}

/** What was done, key by key (model keys unless said otherwise). */
export interface AdaptReport {
  /** Model keys written. */
  loaded: string[];
  /** Checkpoint keys not used, with the reason. */
  skipped: { key: string; reason: string }[];
  /** Model keys left as they were. */
  missing: string[];
  /** Checkpoint keys folded into the canonical key they alias (same tensor in PyTorch). */
  aliases: string[];
  /** Alias groups whose values differed; the value PyTorch's load_state_dict keeps (the last) was used. */
  aliasConflicts: string[];
  /** Keys whose values were transformed (input projection repeated, position embedding resized). */
  transformed: { key: string; how: string }[];
}

const WRAPPER_PREFIXES = ['module.', '_orig_mod.'];

function under(key: string, prefix: string): boolean {
  return prefix !== '' && (key === prefix || key.startsWith(`${prefix}.`));
}

function sameBytes(a: RawTensor, b: RawTensor): boolean {
  if (a.data === b.data) return true;
  if (a.dtype !== b.dtype || !shapesEqual(a.shape, b.shape) || a.data.length !== b.data.length) return false;
  return Buffer.compare(a.data, b.data) === 0;
}

const owned = (m: Module, name: keyof AdaptTarget): unknown => (m as unknown as Record<string, unknown>)[name];

/**
 * Loads a PyTorch state dict (nnssl `network_weights`) into one of our models by the adaptation plan's
 * rules (nnssl-spec §6.5): strips `module.`/`_orig_mod.` prefixes, selects keys by mode, maps the plan's
 * encoder/stem prefixes onto the model's, repeats the input projection over more input channels,
 * resizes the position embedding, folds PyTorch alias keys into canonical keys, then checks every key,
 * shape and dtype. Only when all of that succeeds is anything written, so on error the model is untouched.
 * @throws OpenMindError listing every problem (missing, unexpected, mismatched keys); RangeError for an
 *   int64 value that does not fit int32.
 */
export function adaptPretrainedWeights(model: Module, weights: ReadonlyMap<string, RawTensor>, options: AdaptOptions = {}): AdaptReport {
  const mode = options.mode ?? 'encoder';
  const plan = options.plan;
  const src = options.source ?? 'checkpoint';
  if (mode === 'encoder' && !plan) throw new OpenMindError(`${src}: 'encoder' adaptation needs the checkpoint's adaptation plan (nnssl_adaptation_plan or adaptation_plan.json).`);
  const mapping = keyMappingOf(options, plan, src);
  const tgt = {
    encoder: options.target?.keyToEncoder ?? (owned(model, 'keyToEncoder') as string | undefined) ?? plan?.key_to_encoder ?? '',
    stem: options.target?.keyToStem ?? (owned(model, 'keyToStem') as string | undefined) ?? plan?.key_to_stem ?? '',
    inProj: options.target?.keysToInProj ?? (owned(model, 'keysToInProj') as string[] | undefined) ?? plan?.keys_to_in_proj ?? [],
    lpe: options.target?.keyToLpe ?? (owned(model, 'keyToLpe') as string | null | undefined) ?? plan?.key_to_lpe ?? null,
  };
  const report: AdaptReport = { loaded: [], skipped: [], missing: [], aliases: [], aliasConflicts: [], transformed: [] };
  const problems: string[] = [];

  // 1. Wrapper prefixes (DDP `module.`, torch.compile `_orig_mod.`).
  const stripped = new Map<string, RawTensor>();
  for (const [key, value] of weights) {
    let k = key;
    for (let again = true; again; ) {
      again = false;
      for (const p of WRAPPER_PREFIXES) if (k.startsWith(p)) [k, again] = [k.slice(p.length), true];
    }
    if (stripped.has(k)) problems.push(`'${key}' and another key both become '${k}' once wrapper prefixes are removed`);
    stripped.set(k, value);
  }

  // 2. Selection and renaming of the plan's prefixes onto the model's.
  const rename = (k: string): string | undefined => {
    if (mode !== 'encoder') return k;
    for (const [from, to] of [[plan!.key_to_encoder, tgt.encoder], [plan!.key_to_stem, tgt.stem]] as const) {
      if (under(k, from)) return to + k.slice(from.length);
    }
    return undefined;
  };
  const selected = new Map<string, RawTensor>();
  for (const [k, v] of stripped) {
    const r = rename(k);
    if (r === undefined) report.skipped.push({ key: k, reason: 'outside the plan\'s encoder and stem' });
    else selected.set(r, v);
  }

  const own = model.stateDict();
  const targetShape = (k: string): readonly number[] | undefined => own.get(mapping.canonicalKey(k))?.shape;

  // 3. Input projection: repeat over more input channels (nnU-Net's rule).
  const srcInProj = (plan?.keys_to_in_proj ?? []).map((k) => rename(k)).filter((k): k is string => k !== undefined).map((k) => `${k}.weight`);
  const first = srcInProj.find((k) => selected.has(k));
  const firstShape = first ? targetShape(first) : undefined;
  if (first && firstShape && firstShape[1] !== selected.get(first)!.shape[1]) {
    const repeated = repeatInputProjection(selected.get(first)!, firstShape[1]!, `${src}: '${first}'`);
    const how = `input projection repeated ${firstShape[1]}× along the channel axis and divided by ${firstShape[1]}`;
    for (const k of new Set([...srcInProj, ...tgt.inProj.map((p) => `${p}.weight`)])) {
      if (!selected.has(k)) continue;
      selected.set(k, repeated);
      report.transformed.push({ key: k, how });
    }
  }

  // 4. Position embedding: trilinear resize when the token count differs.
  const lpeSrc = plan?.key_to_lpe ? rename(plan.key_to_lpe) : undefined;
  if (lpeSrc && selected.has(lpeSrc)) {
    const pe = selected.get(lpeSrc)!;
    const want = targetShape(tgt.lpe ?? lpeSrc);
    if (want && !shapesEqual(pe.shape, want)) {
      const grids = options.positionEmbedding;
      if (!grids) problems.push(`'${lpeSrc}' is [${pe.shape.join(', ')}] but the model wants [${want.join(', ')}]; pass positionEmbedding grids to resize it`);
      else {
        const resized = resizePositionEmbedding(pe, grids.sourceGrid, grids.targetGrid, { name: `${src}: '${lpeSrc}'`, prefixTokens: grids.prefixTokens ?? 0 });
        selected.set(tgt.lpe ?? lpeSrc, resized);
        if ((tgt.lpe ?? lpeSrc) !== lpeSrc) selected.delete(lpeSrc);
        report.transformed.push({ key: tgt.lpe ?? lpeSrc, how: `position embedding resized from grid [${grids.sourceGrid.join(', ')}] to [${grids.targetGrid.join(', ')}] (trilinear)` });
      }
    }
  }

  // 5. Fold aliases: PyTorch loads alias keys in state-dict order, so the last value of a group wins.
  const groups = new Map<string, [string, RawTensor][]>();
  for (const [k, v] of selected) {
    const c = mapping.canonicalKey(k);
    groups.set(c, [...(groups.get(c) ?? []), [k, v]]);
  }
  const canonical = new Map<string, RawTensor>();
  // Every alias is checked, not just the winner: PyTorch's strict load reports a size mismatch on any of them.
  const aliasShapes = new Map<string, [string, RawTensor][]>();
  for (const [c, members] of groups) {
    aliasShapes.set(c, members);
    const [lastKey, last] = members[members.length - 1]!;
    for (const [k] of members) if (k !== c) report.aliases.push(k);
    if (members.some(([, v]) => !sameBytes(v, last))) {
      report.aliasConflicts.push(`'${c}': ${members.map(([k]) => `'${k}'`).join(', ')} differ; used '${lastKey}', as PyTorch's load_state_dict would`);
    }
    canonical.set(c, last);
  }

  // 6. Check everything against the model before writing anything.
  const skip = options.skip ?? ['.seg_layers.'];
  const required = (k: string): boolean =>
    mode === 'all' || (mode === 'all-but-seg' ? !skip.some((s) => k.includes(s)) : under(k, tgt.encoder) || under(k, tgt.stem));
  const host = new Map<string, HostTensor>();
  const failed = new Set<string>();
  for (const [k, v] of canonical) {
    const target = own.get(k);
    if (!target) {
      if (mode === 'all-but-seg') report.skipped.push({ key: k, reason: 'not a key of the model' });
      else problems.push(`unexpected key '${k}' (the model has no such parameter)`);
      continue;
    }
    if (mode === 'all-but-seg' && !required(k)) {
      report.skipped.push({ key: k, reason: `matches skip pattern (${skip.join(', ')})` });
      continue;
    }
    const misfits = aliasShapes.get(k)!.filter(([, m]) => !shapesEqual(m.shape, target.shape));
    if (misfits.length) {
      for (const [key, m] of misfits) problems.push(`'${key}' is ${m.dtype}[${m.shape.join(', ')}] in the checkpoint, the model expects [${target.shape.join(', ')}]`);
      failed.add(k);
      continue;
    }
    const h = toHostTensor(v, `${src}: '${k}'`);
    if (h.dtype !== target.dtype) {
      problems.push(`'${k}' is ${v.dtype} in the checkpoint, the model expects ${target.dtype}`);
      failed.add(k);
      continue;
    }
    host.set(k, h);
  }
  for (const k of own.keys()) {
    if (host.has(k) || failed.has(k)) continue;
    if (required(k)) problems.push(`missing key '${k}'`);
    else report.missing.push(k);
  }
  if (problems.length) {
    const shown = problems.slice(0, 12).map((p) => `  - ${p}`).join('\n');
    throw new OpenMindError(
      `${src}: cannot load into the model (${mode} mode); the model was not changed. ${problems.length} problem(s):\n${shown}${problems.length > 12 ? `\n  … and ${problems.length - 12} more` : ''}`,
    );
  }

  // 7. Write.
  const engine = model.parameters()[0]?.engine ?? getEngine();
  const tensors = new Map<string, Tensor>();
  try {
    for (const [k, h] of host) tensors.set(k, tensor(h.data, h.shape, { dtype: h.dtype, engine }));
    report.loaded = model.loadStateDict(tensors, { strict: false }).loaded;
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
  return report;
}
