import { didYouMean } from '../errors/did-you-mean.js';
import { OpenMindError } from '../errors/openmind-error.js';
import type { ArchitectureFactory } from './architecture.js';

/** An architecture factory with the name it is bound under. */
export interface ArchitectureFamily {
  family: string;
  factory: ArchitectureFactory;
}

/**
 * The family whose factory lists `preset` (e.g. 'primus-m' → the 'primus' factory). Presets are looked up
 * in the factories, never guessed from the name, so a third-party family may name its presets freely.
 * @throws OpenMindError listing every loaded preset with its family (and the closest one) when no factory
 * lists `preset`, or naming both families when two list it.
 */
export function findArchitecture(families: readonly ArchitectureFamily[], preset: string): ArchitectureFamily {
  const owners = families.filter((f) => f.factory.presets.includes(preset));
  if (owners.length > 1) {
    throw new OpenMindError(
      `architecture preset '${preset}' is offered by ${owners.map((o) => `'${o.family}'`).join(' and ')}; load only one of these plugins`,
    );
  }
  if (owners.length === 1) return owners[0]!;
  const all = families.flatMap((f) => f.factory.presets.map((p) => ({ preset: p, family: f.family })));
  const listing = all.map((p) => `${p.preset} (${p.family})`).join(', ') || '(no architecture plugin loaded)';
  throw new OpenMindError(
    `unknown architecture preset '${preset}'; presets: ${listing}.${didYouMean(preset, all.map((p) => p.preset))}` +
      ' Load a plugin that provides it with --plugin <package>.',
  );
}
