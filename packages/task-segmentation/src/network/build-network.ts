import {
  type Architecture, type ArchitectureFactory, buildsFromAdaptationPlan, factoryForArchClass, OpenMindError, type PlanBuildingFactory, type Rng,
} from '@openmind-ssl/core';
import type { SegmentationPlan } from '../contract.js';

/** Options of {@link buildSegmentationNetwork}. */
export interface BuildNetworkOptions {
  rng: Rng;
  /**
   * Logits at every decoder resolution (nnU-Net trains from scratch this way). Pretrained fine-tuning
   * runs without (finetune-spec §1.3); architectures that decode at one resolution (Primus) ignore it.
   */
  deepSupervision: boolean;
}

/** The network of a plan, and the factory that built it (its PyTorch keys are needed to load .pth files). */
export interface SegmentationNetwork {
  network: Architecture;
  factory: PlanBuildingFactory;
  /** Whether `network` returns one output per decoder resolution (`forwardDeepSupervision`). */
  deepSupervision: boolean;
}

/** Whether a network can emit deep-supervision outputs. */
export function hasDeepSupervision(net: unknown): net is Architecture & { forwardDeepSupervision(x: unknown): unknown } {
  return typeof (net as { forwardDeepSupervision?: unknown }).forwardDeepSupervision === 'function';
}

/**
 * Builds the downstream network a segmentation plan describes: the adaptation plan's architecture (asked
 * of whichever loaded factory builds its arch_class_name), the dataset's input channels and classes, the
 * plan's patch, nnU-Net's He initialisation where the architecture has it (ResEnc: InitWeights_He(1e-2)
 * and zeroed last norms of the residual blocks; Primus keeps its own init, as DNA's Primus does).
 * @throws OpenMindError naming the arch_class_name and what the loaded factories build when none fits.
 */
export function buildSegmentationNetwork(
  plan: SegmentationPlan, architectures: ArchitectureFactory | readonly ArchitectureFactory[], options: BuildNetworkOptions,
): SegmentationNetwork {
  const list = Array.isArray(architectures) ? (architectures as readonly ArchitectureFactory[]) : [architectures as ArchitectureFactory];
  const cls = plan.adaptationPlan.architecture_plans.arch_class_name;
  const factory = factoryForArchClass(list, cls);
  if (!factory) {
    const known = list.filter(buildsFromAdaptationPlan).flatMap((f) => f.archClassNames);
    throw new OpenMindError(`segmentation plan: no loaded architecture builds '${cls}' (they build: ${known.join(', ') || 'none'}); load the plugin that does.`);
  }
  // Deep supervision only where the family has several decoder resolutions: ask for it, and fall back
  // to one output when the factory refuses it (Primus).
  const build = (deepSupervision: boolean) => factory.fromAdaptationPlan(plan.adaptationPlan, {
    inChannels: plan.channelNames.length,
    outChannels: plan.numClasses,
    patchSize: plan.patchSize,
    rng: options.rng,
    deepSupervision,
    // ResEnc's option; other factories ignore it.
    ...({ init: 'he' } as object),
  });
  if (options.deepSupervision) {
    try {
      const network = build(true);
      if (hasDeepSupervision(network)) return { network, factory, deepSupervision: true };
    } catch (e) {
      if (!(e instanceof OpenMindError) || !/deep supervision/i.test(e.message)) throw e;
    }
  }
  return { network: build(false), factory, deepSupervision: false };
}
