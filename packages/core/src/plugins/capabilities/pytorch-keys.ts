import type { ArchitectureFactory } from '../architecture.js';

/**
 * How an architecture's state-dict keys (ours: each tensor once, under its canonical key) relate to the
 * keys of its PyTorch reference (which may list one tensor under several alias names, e.g.
 * dynamic-network-architectures' `…conv.weight` and `…all_modules.0.weight`).
 */
export interface PytorchKeyMapping {
  /** Names the mapping in messages. */
  readonly name: string;
  /** The full PyTorch key set of a canonical dict, in PyTorch's order; alias values are shared, not copied. */
  toTorch<T>(canonical: ReadonlyMap<string, T>): Map<string, T>;
  /** The canonical key a PyTorch key stands for (itself when it is not an alias). */
  canonicalKey(torchKey: string): string;
  /** Whether a PyTorch key is an alias of another. */
  isAlias(torchKey: string): boolean;
}

/** The mapping of architectures whose PyTorch keys are their own keys. */
export const identityPytorchKeys: PytorchKeyMapping = {
  name: 'identity',
  toTorch: (canonical) => new Map(canonical),
  canonicalKey: (k) => k,
  isAlias: () => false,
};

/** An architecture factory that knows its PyTorch key mapping. */
export interface PytorchKeysFactory extends ArchitectureFactory {
  readonly pytorchKeys: PytorchKeyMapping;
}

/** Whether `factory` declares a PyTorch key mapping. */
export function hasPytorchKeys(factory: ArchitectureFactory | undefined): factory is PytorchKeysFactory {
  const k = (factory as Partial<PytorchKeysFactory> | undefined)?.pytorchKeys;
  return typeof k?.toTorch === 'function' && typeof k.canonicalKey === 'function' && typeof k.isAlias === 'function';
}

/** The factory's PyTorch key mapping, or the identity for factories (or none) that declare none. */
export function pytorchKeysOf(factory: ArchitectureFactory | undefined): PytorchKeyMapping {
  return hasPytorchKeys(factory) ? factory.pytorchKeys : identityPytorchKeys;
}
