import { OpenMindError } from '../../errors/openmind-error.js';
import type { Rng } from '../../random/rng.js';
import { triple } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Conv3d } from '../layers/conv3d.js';
import { Linear } from '../layers/linear.js';
import type { Module, StateDict } from '../module.js';
import type { LoraOptions } from './low-rank-adapter.js';

/** Which layers get an adapter, by dotted name and layer. */
export type LoraTargetPredicate = (name: string, layer: Linear | Conv3d) => boolean;

const ATTENTION_PROJECTION = /(^|\.)attn\.(q_proj|k_proj|v_proj|proj)$/;

/**
 * The default targets: a transformer's attention projections (`attn.q_proj`, `attn.k_proj`, `attn.v_proj`
 * and the output projection `attn.proj`, as Primus's Eva names them) and every ungrouped 3×3×3
 * convolution (ResEnc's stem and residual-block convolutions; not the 1×1×1 skip projections, not a
 * patch embedding).
 */
export const defaultLoraTargets: LoraTargetPredicate = (name, layer) => {
  if (layer instanceof Linear) return ATTENTION_PROJECTION.test(name);
  return (layer.options.groups ?? 1) === 1 && triple(layer.kernelSize, 'kernelSize').every((k) => k === 3);
};

/**
 * Adds a LoRA adapter to every Linear and Conv3d below `root` that `select` picks (each layer once, also
 * when it is reachable under two names), each with its own generator forked from `rng`.
 * Returns the adapted layers' names.
 * @throws OpenMindError when nothing is selected or a layer already has an adapter.
 */
export function addLoraAdapters(root: Module, options: LoraOptions, rng: Rng, select: LoraTargetPredicate = defaultLoraTargets): string[] {
  const seen = new Set<Module>();
  const names: string[] = [];
  for (const [name, m] of root.namedModules()) {
    if (!(m instanceof Linear || m instanceof Conv3d) || seen.has(m) || !select(name, m)) continue;
    seen.add(m);
    m.addAdapter(options, rng.fork());
    names.push(name);
  }
  if (names.length === 0) throw new OpenMindError(`LoRA: no layer of ${root.constructor.name} is a target (attention projections or 3×3×3 convolutions)`);
  return names;
}

/** Whether a state-dict key is an adapter's (`….adapter.lora_A` / `lora_B`). */
export function isLoraKey(key: string): boolean {
  return /(^|\.)adapter\.lora_[AB]$/.test(key);
}

/** The adapters' parameters below `root` (what a LoRA fine-tuning trains besides the head). */
export function loraParameters(root: Module): Tensor[] {
  return root.namedParameters().filter(([k]) => isLoraKey(k)).map(([, t]) => t);
}

/**
 * The state dict of `root` with every adapter merged into its layer: weight W + (α / r)·B·A under the
 * layer's key, the adapter keys left out — the state dict of the same network without adapters, which
 * computes the same function (dropout aside). Merged weights are new tensors (the caller disposes them);
 * every other entry is the module's own tensor.
 */
export function mergedLoraStateDict(root: Module): StateDict {
  const merged = new Map<string, Tensor>();
  for (const [name, m] of root.namedModules()) {
    if (!(m instanceof Linear || m instanceof Conv3d) || !m.adapter) continue;
    const key = name ? `${name}.weight` : 'weight';
    if (merged.has(key)) continue;
    const adapter = m.adapter;
    merged.set(key, m.weight.engine.noGrad(() => m.weight.add(adapter.delta())).keep());
  }
  const out: StateDict = new Map();
  for (const [k, t] of root.stateDict()) if (!isLoraKey(k)) out.set(k, merged.get(k) ?? t);
  return out;
}
