import { readdir, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError } from '../errors/openmind-error.js';
import type { Module } from '../nn/module.js';
import { tensor } from '../ops/create.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Engine } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { getEngine } from '../tensor/current-engine.js';
import { writeFileAtomic } from './atomic-write.js';
import { loadSafetensors, saveSafetensors, type HostTensor } from './safetensors-file.js';

export const WEIGHTS_FILE = 'model.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const STATE_FILE = 'checkpoint.json';

/** The JSON document saved beside the weights. */
export interface CheckpointState {
  format: 'openmind-checkpoint';
  version: 1;
  epoch: number;
  /** Global optimisation step (completed steps). */
  step: number;
  /** Randomness is derived from (seed, step), so these two restore it exactly. */
  rng: { seed: number; step: number };
  /** The run's configuration (method, architecture, data, schedule…). */
  config: Record<string, unknown>;
  adaptationPlan?: unknown;
  optimizer?: { step: number; lrs: Record<string, number> };
  /** The training phase whose optimizer the state belongs to (recipes with phases; absent before v2). */
  phase?: string;
  /** Per-epoch metric history (train/val loss, lr…). */
  metrics: Record<string, number[]>;
}

/** A checkpoint read from disk, still on the host. */
export interface LoadedCheckpoint {
  dir: string;
  state: CheckpointState;
  weights: Map<string, HostTensor>;
  optimizer: Map<string, HostTensor>;
}

/**
 * Saves model weights, optimizer buffers and the state document into `dir` atomically: everything is
 * written into a temporary sibling directory that is renamed into place when complete.
 */
export async function saveCheckpoint(
  dir: string,
  model: Module,
  optimizer: Optimizer | undefined,
  state: Omit<CheckpointState, 'format' | 'version' | 'optimizer'>,
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await saveSafetensors(join(tmp, WEIGHTS_FILE), model.stateDict(), { format: 'pt' });
    const opt = optimizer?.stateDict();
    if (opt) await saveSafetensors(join(tmp, OPTIMIZER_FILE), opt.buffers);
    const doc: CheckpointState = {
      format: 'openmind-checkpoint',
      version: 1,
      ...state,
      ...(opt ? { optimizer: { step: opt.step, lrs: opt.lrs } } : {}),
    };
    await writeFileAtomic(join(tmp, STATE_FILE), JSON.stringify(doc, null, 2));
  } catch (err) {
    // A failed write (disk full, permission denied) leaves no half checkpoint behind; the previous one stands.
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = `${dir}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(dir, old).catch(() => undefined);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

/**
 * Reads a checkpoint directory and validates it completely (state document, every tensor's bytes)
 * before returning; nothing is applied to any model here.
 * @throws OpenMindError naming the file and the problem.
 */
export async function readCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch {
    throw new OpenMindError(`${dir}: not a checkpoint (missing ${STATE_FILE})`);
  }
  let state: CheckpointState;
  try {
    state = JSON.parse(text) as CheckpointState;
  } catch {
    throw new OpenMindError(`${join(dir, STATE_FILE)}: corrupt checkpoint document (invalid JSON)`);
  }
  if (state.format !== 'openmind-checkpoint' || typeof state.step !== 'number') {
    throw new OpenMindError(`${join(dir, STATE_FILE)}: not an OpenMind checkpoint document (field 'format' or 'step')`);
  }
  const weights = (await loadSafetensors(join(dir, WEIGHTS_FILE))).tensors;
  const optimizer = state.optimizer ? (await loadSafetensors(join(dir, OPTIMIZER_FILE))).tensors : new Map<string, HostTensor>();
  return { dir, state, weights, optimizer };
}

/** Host tensors → tensors on `engine`. */
export function toTensors(host: ReadonlyMap<string, HostTensor>, engine: Engine = getEngine()): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [k, t] of host) out.set(k, tensor(t.data, t.shape, { dtype: t.dtype, engine }));
  return out;
}

/**
 * Applies a loaded checkpoint to a model (strict) and optionally its optimizer. The model's load checks
 * every key and shape before writing anything, so on error the model is untouched.
 */
export function restoreCheckpoint(ckpt: LoadedCheckpoint, model: Module, optimizer?: Optimizer): void {
  const engine = model.parameters()[0]?.engine ?? getEngine();
  const weights = toTensors(ckpt.weights, engine);
  try {
    model.loadStateDict(weights, { strict: true });
    if (optimizer && ckpt.state.optimizer) {
      const buffers = toTensors(ckpt.optimizer, engine);
      try {
        optimizer.loadStateDict({ ...ckpt.state.optimizer, buffers });
      } finally {
        for (const t of buffers.values()) t.dispose();
      }
    }
  } catch (e) {
    if (e instanceof OpenMindError) throw new OpenMindError(`${ckpt.dir}: ${e.message}`, { cause: e });
    throw e;
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}

/** The newest complete checkpoint directory under `root` (named step-<n>), or undefined. */
export async function latestCheckpoint(root: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return undefined;
  }
  const steps = names.map((n) => /^step-(\d+)$/.exec(n)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  if (!steps.length) return undefined;
  return join(root, checkpointName(Math.max(...steps)));
}

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}
