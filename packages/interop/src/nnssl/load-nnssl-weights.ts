import { type Module, OpenMindError } from '@openmind-ssl/core';
import { type AdaptOptions, type AdaptReport, adaptPretrainedWeights } from './adapt-pretrained-weights.js';
import { type NnsslCheckpoint, readNnsslCheckpoint } from './read-nnssl-checkpoint.js';

/**
 * Reads an nnssl checkpoint (`checkpoint_final.pth`, or a plain state dict) and loads it into `model` by
 * its adaptation plan: nnssl's `-pretrained_weights` / nnU-Net's pretrained fine-tuning in one call. The
 * whole file is read and checked, and every key matched, before the model is written; on any error the
 * model is untouched.
 * @param options as `adaptPretrainedWeights`; `plan` defaults to the checkpoint's, `mode` to 'encoder'
 *   when a plan is known and 'all' otherwise.
 * @throws OpenMindError for a refused or broken file, or a checkpoint that does not fit the model.
 */
export async function loadNnsslWeights(model: Module, path: string, options: AdaptOptions = {}): Promise<{ checkpoint: NnsslCheckpoint; report: AdaptReport }> {
  const checkpoint = await readNnsslCheckpoint(path);
  const plan = options.plan ?? checkpoint.plan;
  const mode = options.mode ?? (plan ? 'encoder' : 'all');
  if (mode === 'encoder' && !plan) throw new OpenMindError(`${path}: no adaptation plan in the checkpoint or beside it (adaptation_plan.json); pass one, or use mode 'all'.`);
  const report = adaptPretrainedWeights(model, checkpoint.weights, { ...options, mode, ...(plan ? { plan } : {}), source: options.source ?? path });
  return { checkpoint, report };
}
