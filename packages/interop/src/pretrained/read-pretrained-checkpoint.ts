import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AdaptationPlan, latestCheckpoint, OpenMindError } from '@openmind-ssl/core';
import { readCheckpointContent } from '../convert/convert-checkpoint.js';
import { readNnsslCheckpoint } from '../nnssl/read-nnssl-checkpoint.js';
import type { RawTensor } from '../torch/raw-tensor.js';

/** Pre-trained weights and the adaptation plan saved with them. */
export interface PretrainedCheckpoint {
  /** The file or checkpoint directory read. */
  source: string;
  /** State-dict tensors by key (PyTorch keys for a .pth, our canonical keys for our checkpoints). */
  weights: Map<string, RawTensor>;
  plan: AdaptationPlan;
}

const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
const isFile = async (p: string) => (await stat(p).catch(() => undefined))?.isFile() ?? false;

/**
 * Reads a pre-trained checkpoint: an nnssl `.pth` (`network_weights` + `nnssl_adaptation_plan`, or an
 * `adaptation_plan.json` beside it), one of our checkpoint directories (model.safetensors +
 * checkpoint.json), a `.safetensors` file with the plan in its metadata, or an `openmind pretrain` run
 * folder (its latest checkpoint).
 * @throws OpenMindError when the path holds none of these, or the checkpoint carries no adaptation plan.
 */
export async function readPretrainedCheckpoint(path: string): Promise<PretrainedCheckpoint> {
  let source = path;
  if (await isDir(path)) {
    if (!(await isFile(join(path, 'checkpoint.json')))) {
      const latest = await latestCheckpoint(join(path, 'checkpoints'));
      if (!latest) throw new OpenMindError(`${path}: not a checkpoint: a folder must be a checkpoint (checkpoint.json) or a pre-training run folder with checkpoints/step-*.`);
      source = latest;
    }
  }
  if (/\.(pth|pt)$/i.test(source)) {
    const c = await readNnsslCheckpoint(source);
    if (!c.plan) throw new OpenMindError(`${source}: no adaptation plan (nnssl_adaptation_plan in the file, or adaptation_plan.json beside it); fine-tuning needs it to know the encoder's keys.`);
    return { source, weights: c.weights, plan: c.plan };
  }
  const { content } = await readCheckpointContent(source);
  if (!content.plan) throw new OpenMindError(`${source}: no adaptation plan in the checkpoint; fine-tuning needs it to know the encoder's keys.`);
  return { source, weights: content.tensors, plan: content.plan };
}
