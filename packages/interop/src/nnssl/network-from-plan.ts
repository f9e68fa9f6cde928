import {
  type AdaptationPlan, type Architecture, type ArchitectureFactory, buildsFromAdaptationPlan, type DownstreamOptions, factoryForArchClass, OpenMindError,
} from '@openmind-ssl/core';

/**
 * Builds the network an adaptation plan describes, ready for `adaptPretrainedWeights`, by asking the
 * architecture factory that builds the plan's arch_class_name (core's `fromAdaptationPlan` capability).
 * @param architectures the factories to choose from (e.g. every architecture plugin the runtime loaded)
 * @throws OpenMindError naming the arch_class_name and the classes the given factories build when none fits.
 */
export function networkFromAdaptationPlan(
  plan: AdaptationPlan,
  architectures: ArchitectureFactory | readonly ArchitectureFactory[],
  options: DownstreamOptions,
): Architecture {
  const list = Array.isArray(architectures) ? (architectures as readonly ArchitectureFactory[]) : [architectures as ArchitectureFactory];
  const cls = plan.architecture_plans.arch_class_name;
  const factory = factoryForArchClass(list, cls);
  if (!factory) {
    const known = list.filter(buildsFromAdaptationPlan).flatMap((f) => f.archClassNames);
    throw new OpenMindError(
      `adaptation plan: no loaded architecture builds '${cls}' from a plan (they build: ${known.join(', ') || 'none'}); load the plugin that does.`,
    );
  }
  return factory.fromAdaptationPlan(plan, options);
}
