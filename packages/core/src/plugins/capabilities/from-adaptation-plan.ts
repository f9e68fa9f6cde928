import type { Rng } from '../../random/rng.js';
import type { AdaptationPlan } from '../adaptation-plan.js';
import type { Architecture, ArchitectureFactory } from '../architecture.js';

/** What a downstream run changes about the pre-trained network (finetune-spec §1). */
export interface DownstreamOptions {
  /** Input channels of the downstream data (default: the plan's pretrain_num_input_channels). */
  inChannels?: number;
  /** Output channels (classes) of the downstream task. */
  outChannels: number;
  /** Network input [d, h, w] (default: the plan's recommended_downstream_patchsize). */
  patchSize?: readonly [number, number, number];
  rng: Rng;
  encoderOnly?: boolean;
  deepSupervision?: boolean;
}

/**
 * An architecture factory that rebuilds the network an nnssl adaptation plan describes
 * (`architecture_plans.arch_class_name` + `arch_kwargs`), with the downstream channels and patch size.
 */
export interface PlanBuildingFactory extends ArchitectureFactory {
  /** nnssl arch_class_names this factory builds (e.g. 'ResEncL', 'ResidualEncoderUNet'). */
  readonly archClassNames: readonly string[];
  /**
   * The downstream network of `plan`: the pre-trained encoder and stem under the plan's keys, any
   * channels and classes.
   * @throws OpenMindError naming the plan field this factory cannot build
   */
  fromAdaptationPlan(plan: AdaptationPlan, options: DownstreamOptions): Architecture;
}

/** Whether `factory` can build networks from adaptation plans. */
export function buildsFromAdaptationPlan(factory: ArchitectureFactory | undefined): factory is PlanBuildingFactory {
  const f = factory as Partial<PlanBuildingFactory> | undefined;
  return typeof f?.fromAdaptationPlan === 'function' && Array.isArray(f.archClassNames);
}

/** nnssl's arch_class_name without a module path ('nnssl.architectures.ResEncL' → 'ResEncL'). */
export function shortArchClassName(archClassName: string): string {
  return archClassName.split('.').at(-1) ?? archClassName;
}

/** The first of `factories` that builds `archClassName` (module path ignored), if any. */
export function factoryForArchClass(factories: readonly ArchitectureFactory[], archClassName: string): PlanBuildingFactory | undefined {
  const name = shortArchClassName(archClassName);
  return factories.filter(buildsFromAdaptationPlan).find((f) => f.archClassNames.includes(name));
}
