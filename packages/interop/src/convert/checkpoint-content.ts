import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type AdaptationPlan, OpenMindError, readCheckpoint } from '@openmind-ssl/core';
import { type Json, pyToTaggedJson } from '../pickle/py-json.js';
import { NumpyArray, PyDict, type PyValue, TorchTensor } from '../pickle/py-value.js';
import { readPth } from '../pth/read-pth.js';
import { rawTensorOf, tensorsIn } from '../pth/tensor-tree.js';
import { parseAdaptationPlan } from '../nnssl/parse-adaptation-plan.js';
import { readRawSafetensors } from '../safetensors/raw-safetensors.js';
import { fromHostTensor, type RawTensor } from '../torch/raw-tensor.js';

/** Metadata keys of the .safetensors files `convert` writes. */
export const PLAN_METADATA_KEY = 'nnssl_adaptation_plan';
export const TREE_METADATA_KEY = 'openmind.pth';
export const CHECKPOINT_METADATA_KEY = 'openmind.checkpoint';

/** A checkpoint in the form every converter reads and writes. */
export interface CheckpointContent {
  /** Each distinct tensor once, by name, dtype and bytes as stored. */
  tensors: Map<string, RawTensor>;
  /** The whole .pth object with tensors replaced by {"__tensor__": name} (see pyToTaggedJson), when known. */
  tree: Json | undefined;
  plan: AdaptationPlan | undefined;
  /** Further .safetensors metadata to carry (our checkpoint document). */
  metadata: Record<string, string>;
  /** Notes for the user (what was not carried, and why). */
  notes: string[];
}

/** What a path holds, judged by extension (a directory must be one of our checkpoints). */
export async function checkpointKind(path: string): Promise<'pth' | 'safetensors' | 'checkpoint-dir'> {
  const s = await stat(path).catch(() => undefined);
  if (s?.isDirectory()) return 'checkpoint-dir';
  if (/\.safetensors$/i.test(path)) return 'safetensors';
  if (/\.(pth|pt)$/i.test(path)) return 'pth';
  throw new OpenMindError(`${path}: unknown checkpoint type; expected a .pth/.pt file, a .safetensors file or an OpenMind checkpoint directory.`);
}

async function siblingPlan(path: string): Promise<AdaptationPlan | undefined> {
  const file = join(dirname(path), 'adaptation_plan.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return parseAdaptationPlan(JSON.parse(text) as Json, file);
  } catch (e) {
    if (e instanceof SyntaxError) throw new OpenMindError(`${file}: not valid JSON.`);
    throw e;
  }
}

/**
 * Reads a .pth with every tensor. Names: `network_weights` entries (and the entries of a plain state
 * dict) keep their keys; any other tensor is named by its dotted path from the top
 * (`optimizer_state.state.0.momentum_buffer`). Views of the same storage region (PyTorch alias keys)
 * become one tensor under the first name.
 */
export async function readPthContent(path: string): Promise<CheckpointContent> {
  const pth = await readPth(path);
  const root = pth.root;
  const weights = root instanceof PyDict && root.get('network_weights') instanceof PyDict ? (root.get('network_weights') as PyDict) : undefined;
  const plainStateDict = root instanceof PyDict && root.size > 0 && [...root.values()].every((v) => v instanceof TorchTensor);
  const names = new Map<TorchTensor | NumpyArray, string>();
  const byView = new Map<string, string>();
  const tensors = new Map<string, RawTensor>();
  const nameOf = (path: (string | number)[]): string => {
    if (weights && path[0] === 'network_weights' && path.length === 2) return String(path[1]);
    if (plainStateDict && path.length === 1) return String(path[0]);
    return path.join('.');
  };
  for (const [p, t] of tensorsIn(root)) {
    const view = t instanceof TorchTensor ? `${t.storage.key}|${t.dtype}|${t.offset}|${t.shape.join(',')}|${t.stride.join(',')}` : undefined;
    const existing = view ? byView.get(view) : undefined;
    if (existing) {
      names.set(t, existing);
      continue;
    }
    const name = nameOf(p);
    if (tensors.has(name)) throw new OpenMindError(`${path}: two tensors would both be named '${name}'; rename one before converting.`);
    tensors.set(name, rawTensorOf(t, `${path}: '${name}'`));
    names.set(t, name);
    if (view) byView.set(view, name);
  }
  const tree = pyToTaggedJson(root, (t) => names.get(t)!);
  const embedded = root instanceof PyDict ? root.get('nnssl_adaptation_plan') : undefined;
  const plan = embedded instanceof PyDict ? parseAdaptationPlan(embedded as PyValue, path) : await siblingPlan(path);
  return { tensors, tree, plan, metadata: {}, notes: [] };
}

/** Reads a .safetensors file written by `convert` (tree and plan in its metadata) or by anyone else. */
export async function readSafetensorsContent(path: string): Promise<CheckpointContent> {
  const { tensors, metadata } = await readRawSafetensors(path);
  const parse = (key: string): Json | undefined => {
    if (metadata[key] === undefined) return undefined;
    try {
      return JSON.parse(metadata[key]) as Json;
    } catch {
      throw new OpenMindError(`${path}: metadata '${key}' is not valid JSON.`);
    }
  };
  const planJson = parse(PLAN_METADATA_KEY);
  const plan = planJson !== undefined ? parseAdaptationPlan(planJson, `${path} (metadata)`) : await siblingPlan(path);
  const rest = Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== PLAN_METADATA_KEY && k !== TREE_METADATA_KEY && k !== 'format'));
  return { tensors, tree: parse(TREE_METADATA_KEY), plan, metadata: rest, notes: [] };
}

/** Reads one of our checkpoint directories (model.safetensors + checkpoint.json). */
export async function readCheckpointDirContent(dir: string): Promise<CheckpointContent> {
  const ckpt = await readCheckpoint(dir);
  const tensors = new Map<string, RawTensor>();
  for (const [k, t] of ckpt.weights) tensors.set(k, fromHostTensor(t));
  const plan = ckpt.state.adaptationPlan === undefined ? undefined : parseAdaptationPlan(ckpt.state.adaptationPlan as Json, `${dir}/checkpoint.json`);
  const notes = ckpt.optimizer.size
    ? [`optimizer state (${ckpt.optimizer.size} buffers) not carried: resume training from the checkpoint directory itself.`]
    : [];
  const { adaptationPlan: _plan, ...state } = ckpt.state;
  return { tensors, tree: undefined, plan, metadata: { [CHECKPOINT_METADATA_KEY]: JSON.stringify(state) }, notes };
}
