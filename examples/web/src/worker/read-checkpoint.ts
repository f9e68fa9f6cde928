import { type CheckpointState, decodeSafetensors, type LoadedCheckpoint, OpenMindError, STATE_FILE } from '@openmind-ssl/core';
import type { FileBytes } from '../protocol.js';

/**
 * Reads an OpenMind checkpoint the user picked as files: `checkpoint.json` and its `model.safetensors`
 * (what `openmind finetune` writes into checkpoint_final/), or a single `.safetensors` whose metadata
 * carries the adaptation plan (what `openmind convert` and this page's pre-training write).
 * @throws OpenMindError saying which file is missing or corrupt.
 */
export function readCheckpointFiles(files: readonly FileBytes[]): LoadedCheckpoint {
  const weightsFile = files.find((f) => /\.safetensors$/i.test(f.name));
  if (!weightsFile) {
    throw new OpenMindError(`no .safetensors among the files given (${files.map((f) => f.name).join(', ') || 'none'}): pick checkpoint.json and model.safetensors of a checkpoint folder.`);
  }
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(weightsFile.bytes), weightsFile.name);
  const stateFile = files.find((f) => f.name === STATE_FILE || /\.json$/i.test(f.name));
  let state: CheckpointState;
  if (stateFile) {
    try {
      state = JSON.parse(new TextDecoder().decode(stateFile.bytes)) as CheckpointState;
    } catch {
      throw new OpenMindError(`${stateFile.name}: not valid JSON (corrupt checkpoint document?)`);
    }
    if (state.format !== 'openmind-checkpoint') throw new OpenMindError(`${stateFile.name}: not an OpenMind checkpoint document (field 'format' is ${JSON.stringify(state.format)})`);
  } else {
    const plan = metadata.nnssl_adaptation_plan;
    state = { format: 'openmind-checkpoint', version: 1, epoch: 0, step: 0, rng: { seed: 0, step: 0 }, config: {}, metrics: {}, ...(plan ? { adaptationPlan: JSON.parse(plan) as unknown } : {}) };
  }
  return { dir: weightsFile.name, state, weights: tensors, optimizer: new Map() };
}
