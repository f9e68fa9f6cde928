import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type Architecture, type ArchitectureFactory, latestCheckpoint, OpenMindError, type PlanBuildingFactory, readCheckpoint, Rng, toTensors,
} from '@openmind-ssl/core';
import { buildSegmentationNetwork, type SegmentationPlan } from '@openmind-ssl/task-segmentation';

/** A fine-tuned segmentation network ready to predict, with the plan it was trained under. */
export interface LoadedSegmentationModel {
  network: Architecture;
  factory: PlanBuildingFactory;
  plan: SegmentationPlan;
  /** The checkpoint directory the weights came from. */
  checkpoint: string;
}

/**
 * Loads a fine-tuning run for prediction: `path` is a run folder (its `plan.json` and the latest checkpoint
 * under `checkpoints/`) or one checkpoint folder (`plan.json` inside it or in the run folder two levels up).
 * The network is built from the plan on the current backend without deep supervision; every one of its
 * weights must be in the checkpoint (extra deep-supervision heads are ignored).
 * @throws OpenMindError naming the path when no plan or checkpoint is found or weights are missing.
 */
export async function loadSegmentationModelForInference(path: string, architectures: readonly ArchitectureFactory[]): Promise<LoadedSegmentationModel> {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new OpenMindError(`--model "${path}": expected a fine-tuning run folder or one of its checkpoint folders.`);
  const isCheckpoint = existsSync(join(path, 'checkpoint.json'));
  const checkpoint = isCheckpoint ? path : await latestCheckpoint(join(path, 'checkpoints'));
  if (!checkpoint) throw new OpenMindError(`--model "${path}": no checkpoint found under ${join(path, 'checkpoints')}.`);
  const planFile = [join(path, 'plan.json'), join(dirname(dirname(checkpoint)), 'plan.json')].find((f) => existsSync(f));
  if (!planFile) throw new OpenMindError(`--model "${path}": no plan.json (the segmentation plan) beside the run or its checkpoint.`);
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as SegmentationPlan;
  const built = buildSegmentationNetwork(plan, architectures, { rng: new Rng(0), deepSupervision: false });
  const ckpt = await readCheckpoint(checkpoint);
  const weights = toTensors(ckpt.weights);
  const report = built.network.loadStateDict(weights, { strict: false });
  for (const t of weights.values()) t.dispose();
  if (report.missing.length > 0) {
    throw new OpenMindError(`--model "${path}": the checkpoint ${checkpoint} lacks ${report.missing.length} weight(s) of the plan's network (${report.missing.slice(0, 3).join(', ')}${report.missing.length > 3 ? ', …' : ''}).`);
  }
  built.network.eval();
  return { network: built.network, factory: built.factory, plan, checkpoint };
}
