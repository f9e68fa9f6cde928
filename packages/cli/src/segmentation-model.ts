import { type Architecture, type ArchitectureFactory, factoryForArchClass, OpenMindError, type PlanBuildingFactory } from '@openmind-ssl/core';
import { loadSegmentationModel, type SegmentationPlan } from '@openmind-ssl/task-segmentation';

/** A fine-tuned segmentation network ready to predict, with its plan and the factory that built it. */
export interface LoadedSegmentationModel {
  network: Architecture;
  /** Its PyTorch key mapping is what `export --format pth` writes. */
  factory: PlanBuildingFactory;
  plan: SegmentationPlan;
  /** The checkpoint directory the weights came from. */
  checkpoint: string;
}

/**
 * `loadSegmentationModel` (a run folder: checkpoint_final, else _best, else _latest; or one checkpoint
 * folder) on the current backend, plus the architecture factory of the plan's class.
 */
export async function loadSegmentationModelForInference(path: string, architectures: readonly ArchitectureFactory[]): Promise<LoadedSegmentationModel> {
  const m = await loadSegmentationModel(path, architectures);
  const cls = m.plan.adaptationPlan.architecture_plans.arch_class_name;
  const factory = factoryForArchClass(architectures, cls);
  if (!factory) throw new OpenMindError(`--model "${path}": no loaded architecture builds '${cls}'.`);
  return { network: m.network, factory, plan: m.plan, checkpoint: m.checkpoint };
}
