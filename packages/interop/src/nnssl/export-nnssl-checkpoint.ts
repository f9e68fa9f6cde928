import { dirname, join } from 'node:path';
import { type AdaptationPlan, type HostTensor, type Module, writeFileAtomic } from '@openmind-ssl/core';
import { jsonToPy } from '../pickle/py-json.js';
import { PyDict, type PyKey, type PyValue } from '../pickle/py-value.js';
import { isRawTensor, type PthValue, writePth, type WritePthOptions } from '../pth/write-pth.js';
import { fromHostTensor, type RawTensor } from '../torch/raw-tensor.js';
import { keyMappingOf, type KeyMappingSource } from './key-mapping.js';

/**
 * Options of `exportNnsslCheckpoint`. `architecture` (the factory that built the weights, e.g.
 * resencFactory) or `mapping` supplies the PyTorch alias keys to add; with neither, keys are written as they are.
 */
export interface ExportNnsslOptions extends WritePthOptions, KeyMappingSource {
  /** Our canonical state dict (e.g. model.safetensors of a checkpoint, or `stateDictToRaw(model)`). */
  weights: ReadonlyMap<string, RawTensor | HostTensor>;
  plan: AdaptationPlan;
  /** Stored as `trainer_name`, as nnssl does. */
  trainerName?: string;
  /** Further top-level entries. */
  extra?: Record<string, PthValue>;
  /** Write `adaptation_plan.json` beside the checkpoint (default true). */
  planJson?: boolean;
}

/** A module's state dict read to the host as raw tensors (our canonical keys). */
export async function stateDictToRaw(model: Module): Promise<Map<string, RawTensor>> {
  const out = new Map<string, RawTensor>();
  for (const [k, t] of model.stateDict()) out.set(k, fromHostTensor({ dtype: t.dtype, shape: [...t.shape], data: await t.data() }));
  return out;
}

/** The top-level dict of an nnssl-style checkpoint, as `writePth` takes it. */
export function nnsslCheckpointValue(options: Omit<ExportNnsslOptions, 'planJson' | 'archiveName' | 'forceZip64'>): PyDict {
  const mapping = keyMappingOf(options, options.plan, 'nnssl export');
  const raw = new Map<string, RawTensor>();
  for (const [k, t] of options.weights) raw.set(k, isRawTensor(t) ? t : fromHostTensor(t));
  // Aliases share the same RawTensor, so torch.load sees one storage under several keys, as torch.save writes it.
  const weights = new PyDict(undefined, true);
  for (const [k, t] of mapping.toTorch(raw)) weights.set(k, t as unknown as PyValue);
  const root = new PyDict([
    ['network_weights', weights],
    ['nnssl_adaptation_plan', jsonToPy(options.plan)],
  ] as [PyKey, PyValue][]);
  if (options.trainerName !== undefined) root.set('trainer_name', options.trainerName);
  for (const [k, v] of Object.entries(options.extra ?? {})) root.set(k, v as PyValue);
  return root;
}

/**
 * Writes our weights as an nnssl `checkpoint_final.pth`: `network_weights` with the architecture's
 * PyTorch keys (aliases from `architecture`/`mapping` included, so DNA's strict `load_state_dict` accepts it) and
 * `nnssl_adaptation_plan`, plus `adaptation_plan.json` beside it. `torch.load(path, weights_only=True)`
 * opens it on torch ≥ 2.0; torch 1.13's weights-only loader has no float opcode, so there it refuses
 * plans holding floats (use weights_only=False, or read `network_weights` from a `writePth` state dict).
 */
export async function exportNnsslCheckpoint(path: string, options: ExportNnsslOptions): Promise<void> {
  await writePth(path, nnsslCheckpointValue(options), {
    ...(options.archiveName ? { archiveName: options.archiveName } : {}),
    ...(options.forceZip64 ? { forceZip64: true } : {}),
  });
  if (options.planJson ?? true) await writeFileAtomic(join(dirname(path), 'adaptation_plan.json'), `${JSON.stringify(options.plan, null, 2)}\n`);
}
