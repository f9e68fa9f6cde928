import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Architecture, type ArchitectureFactory, type CheckpointState, type LoraOptions, mergedLoraStateDict, type Module, OpenMindError, type Optimizer,
  readCheckpoint, restoreCheckpoint, Rng, saveCheckpoint,
} from '@openmind-ssl/core';
import { addEncoderLoraAdapters } from '../network/encoder-lora.js';
import type { SegmentationPlan } from '../contract.js';
import { buildSegmentationNetwork } from '../network/build-network.js';

/** Checkpoint folders of a fine-tuning run, as nnU-Net names its files. */
export const CHECKPOINT_FINAL = 'checkpoint_final';
export const CHECKPOINT_BEST = 'checkpoint_best';
export const CHECKPOINT_LATEST = 'checkpoint_latest';

/** What a fine-tuned checkpoint carries besides the weights (in checkpoint.json's `config`). */
export interface SegmentationModelConfig {
  segmentationPlan: SegmentationPlan;
  /** The network was trained with deep supervision (its keys are the same either way). */
  deepSupervision: boolean;
  /** The encoder carries LoRA adapters with these settings (schedule 'lora'); loading merges them. */
  lora?: LoraOptions;
  [key: string]: unknown;
}

/** Training state that goes with a checkpoint (what saveCheckpoint stores besides the weights). */
export type TrainingState = Omit<CheckpointState, 'format' | 'version' | 'optimizer' | 'config' | 'adaptationPlan'>;

/**
 * Saves a fine-tuned network with its SegmentationPlan, so that `loadSegmentationModel` rebuilds it
 * without anything else; with an optimizer and training state it is also a resumable checkpoint. The
 * folder is written beside and renamed into place (atomic).
 */
export async function saveSegmentationModel(
  dir: string, network: Module, config: SegmentationModelConfig, training: TrainingState = { epoch: 0, step: 0, rng: { seed: 0, step: 0 }, metrics: {} }, optimizer?: Optimizer,
): Promise<void> {
  await saveCheckpoint(dir, network, optimizer, { ...training, config, adaptationPlan: config.segmentationPlan.adaptationPlan });
}

const exists = async (p: string) => (await stat(p).catch(() => undefined)) !== undefined;

/**
 * The checkpoint folder a path names: a checkpoint itself (checkpoint.json), or a run folder's
 * `checkpoint_<which>` (default final, else best, else latest).
 * @throws OpenMindError when there is none.
 */
export async function segmentationCheckpointDir(runDirOrCheckpoint: string, which?: 'final' | 'best' | 'latest'): Promise<string> {
  if (await exists(join(runDirOrCheckpoint, 'checkpoint.json'))) return runDirOrCheckpoint;
  const order = which ? [which] : ['final', 'best', 'latest'];
  for (const w of order) {
    const dir = join(runDirOrCheckpoint, `checkpoint_${w}`);
    if (await exists(join(dir, 'checkpoint.json'))) return dir;
  }
  throw new OpenMindError(`${runDirOrCheckpoint}: no fine-tuned checkpoint (looked for ${order.map((w) => `checkpoint_${w}/`).join(', ')} and checkpoint.json).`);
}

/**
 * Rebuilds a fine-tuned network from its checkpoint: the SegmentationPlan stored in it, the network the
 * plan describes (from whichever of `architectures` builds it), the weights loaded strictly. A checkpoint
 * of the 'lora' schedule is loaded into the network with its encoder adapters and the adapters are then
 * merged into the weights (core's mergedLoraStateDict): the network returned is the plain one of the plan,
 * computing the same function, so prediction and export need nothing of LoRA.
 * @param runDirOrCheckpoint a run folder (checkpoint_final, else _best, else _latest) or a checkpoint folder
 * @throws OpenMindError when the checkpoint holds no SegmentationPlan or does not fit the network.
 */
export async function loadSegmentationModel(
  runDirOrCheckpoint: string, architectures: ArchitectureFactory | readonly ArchitectureFactory[], options: { which?: 'final' | 'best' | 'latest' } = {},
): Promise<{ network: Architecture; plan: SegmentationPlan; checkpoint: string; deepSupervision: boolean }> {
  const dir = await segmentationCheckpointDir(runDirOrCheckpoint, options.which);
  const ckpt = await readCheckpoint(dir);
  const config = ckpt.state.config as Partial<SegmentationModelConfig>;
  if (!config.segmentationPlan) throw new OpenMindError(`${join(dir, 'checkpoint.json')}: not a segmentation checkpoint (no config.segmentationPlan).`);
  const build = () => buildSegmentationNetwork(config.segmentationPlan!, architectures, { rng: new Rng(0), deepSupervision: config.deepSupervision ?? false }).network;
  const network = build();
  if (config.lora) {
    const adapted = build();
    addEncoderLoraAdapters(adapted, config.lora, new Rng(0));
    restoreCheckpoint(ckpt, adapted);
    const own = new Set(adapted.stateDict().values());
    const merged = mergedLoraStateDict(adapted);
    network.loadStateDict(merged);
    for (const t of merged.values()) if (!own.has(t)) t.dispose();
    adapted.dispose();
  } else {
    restoreCheckpoint(ckpt, network);
  }
  network.eval();
  return { network, plan: config.segmentationPlan, checkpoint: dir, deepSupervision: config.deepSupervision ?? false };
}
