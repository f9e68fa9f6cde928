import {
  type AdaptationPlan, type ArchitectureFactory, buildsFromAdaptationPlan, factoryForArchClass, OpenMindError, type PlanBuildingFactory, type Rng,
} from '@openmind-ssl/core';
import { loadPretrainedEncoder, type PretrainedCheckpoint, type PretrainedLoad } from '@openmind-ssl/interop';
import { ClassificationNetwork } from './classification-network.js';

/** Options of {@link buildClassifier}. */
export interface BuildClassifierOptions {
  classes: number;
  inChannels: number;
  patchSize: readonly [number, number, number];
  /** Dropout before the head's Linear (reference 0.2). */
  dropout: number;
  rng: Rng;
}

/** A classifier and the factory that built its encoder (its PyTorch keys are needed to load .pth files). */
export interface BuiltClassifier {
  network: ClassificationNetwork;
  factory: PlanBuildingFactory;
}

/**
 * Builds the classifier of an adaptation plan: the plan's architecture as an encoder only (no decoder:
 * the reference builds the whole U-Net and leaves the decoder unused), with the dataset's channels and
 * the crop as patch, and a fresh Dropout → Linear head.
 * @throws OpenMindError naming the arch_class_name when no loaded factory builds it.
 */
export function buildClassifier(plan: AdaptationPlan, architectures: ArchitectureFactory | readonly ArchitectureFactory[], o: BuildClassifierOptions): BuiltClassifier {
  const list = Array.isArray(architectures) ? (architectures as readonly ArchitectureFactory[]) : [architectures as ArchitectureFactory];
  const cls = plan.architecture_plans.arch_class_name;
  const factory = factoryForArchClass(list, cls);
  if (!factory) {
    const known = list.filter(buildsFromAdaptationPlan).flatMap((f) => f.archClassNames);
    throw new OpenMindError(`classifier: no loaded architecture builds '${cls}' (they build: ${known.join(', ') || 'none'}); load the plugin that does.`);
  }
  const backbone = factory.fromAdaptationPlan(plan, { inChannels: o.inChannels, outChannels: o.classes, patchSize: o.patchSize, rng: o.rng, encoderOnly: true });
  return { network: new ClassificationNetwork(backbone, o.classes, o.dropout, o.rng), factory };
}

/**
 * Loads a pre-trained checkpoint's encoder and stem into the classifier strictly by its adaptation plan's
 * keys (@openmind-ssl/interop's loadPretrainedEncoder, shared with the segmentation task: channel repeat/C of the input projection, Primus position-embedding
 * resize); the head keeps its fresh initialisation.
 */
export function loadPretrainedClassifier(built: BuiltClassifier, checkpoint: PretrainedCheckpoint): PretrainedLoad {
  return loadPretrainedEncoder(built.network.backbone, checkpoint, built.factory);
}
