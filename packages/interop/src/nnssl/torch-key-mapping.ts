import { isTorchAliasKey, withoutTorchAliases, withTorchAliases } from '@openmind-ssl/arch-resenc';

/**
 * How an architecture's canonical state-dict keys (ours: each tensor once) relate to its PyTorch
 * state-dict keys (which may list one tensor under several alias names).
 */
export interface TorchKeyMapping {
  readonly name: string;
  /** The full PyTorch key set of a canonical dict, in PyTorch's order; alias values are shared, not copied. */
  toTorch<T>(canonical: ReadonlyMap<string, T>): Map<string, T>;
  /** The canonical key a PyTorch key stands for (itself when it is not an alias). */
  canonicalKey(torchKey: string): string;
  /** Whether a PyTorch key is an alias of another. */
  isAlias(torchKey: string): boolean;
}

/** Architectures whose PyTorch keys are their canonical keys. */
export const identityKeyMapping: TorchKeyMapping = {
  name: 'identity',
  toTorch: (canonical) => new Map(canonical),
  canonicalKey: (k) => k,
  isAlias: () => false,
};

/**
 * dynamic-network-architectures' ResidualEncoderUNet (nnssl's ResEncL): `…all_modules.0/1.*` and
 * `decoder.encoder.*` aliases (see @openmind-ssl/arch-resenc's torch-aliases).
 */
export const resencKeyMapping: TorchKeyMapping = {
  name: 'resenc',
  toTorch: (canonical) => withTorchAliases(canonical),
  // withoutTorchAliases renames a lone alias to its canonical key; one key at a time gives the mapping.
  canonicalKey: (k) => (isTorchAliasKey(k) ? [...withoutTorchAliases(new Map([[k, 0]])).keys()][0]! : k),
  isAlias: (k) => isTorchAliasKey(k),
};

const BY_ARCH: Record<string, TorchKeyMapping> = {
  ResEncL: resencKeyMapping,
  ResidualEncoderUNet: resencKeyMapping,
};

/** The key mapping of an nnssl `arch_class_name` (module path prefixes ignored); identity when unknown. */
export function torchKeyMappingFor(archClassName: string | undefined): TorchKeyMapping {
  return BY_ARCH[archClassName?.split('.').at(-1) ?? ''] ?? identityKeyMapping;
}
