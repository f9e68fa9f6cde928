import {
  type AdaptationPlan, type ArchitectureFactory, buildsFromAdaptationPlan, identityPytorchKeys, OpenMindError, type PytorchKeyMapping,
  pytorchKeysOf, shortArchClassName,
} from '@openmind-ssl/core';

/**
 * Where interop gets an architecture's PyTorch key mapping (alias keys such as DNA's `…all_modules.0.*`):
 * interop holds no architecture's tables, so the caller, who has the plugins, says which.
 */
export interface KeyMappingSource {
  /** An explicit mapping (wins over `architecture`). */
  mapping?: PytorchKeyMapping;
  /** The architecture factory of the weights; its `pytorchKeys` are used (identity when it declares none). */
  architecture?: ArchitectureFactory;
}

/**
 * The key mapping `source` names; identity when it names none.
 * @throws OpenMindError when `architecture` lists the arch_class_names it builds and the plan's is not among them.
 */
export function keyMappingOf(source: KeyMappingSource, plan: AdaptationPlan | undefined, where: string): PytorchKeyMapping {
  if (source.mapping) return source.mapping;
  const f = source.architecture;
  if (!f) return identityPytorchKeys;
  const cls = plan?.architecture_plans.arch_class_name;
  if (cls !== undefined && buildsFromAdaptationPlan(f) && !f.archClassNames.includes(shortArchClassName(cls))) {
    throw new OpenMindError(`${where}: the adaptation plan's architecture '${cls}' is not one architecture '${f.name}' builds (${f.archClassNames.join(', ')}).`);
  }
  return pytorchKeysOf(f);
}
