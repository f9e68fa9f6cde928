import type { BenchmarkSpec } from '../spec.js';
import { parseBenchmarkSpec } from '../validate-spec.js';
import { OPENMIND_PRESET } from './openmind.js';
import { TOY_PRESET } from './toy.js';

export { OPENMIND_PRESET } from './openmind.js';
export { TOY_PRESET } from './toy.js';

/** The built-in specs, by the name `openmind benchmark run <name>` takes. */
export const BENCHMARK_PRESETS = { toy: TOY_PRESET, openmind: OPENMIND_PRESET } as const;
export type PresetName = keyof typeof BENCHMARK_PRESETS;

/** A preset, validated like a file (the presets are held to the same schema). */
export function benchmarkPreset(name: PresetName): BenchmarkSpec {
  return parseBenchmarkSpec(BENCHMARK_PRESETS[name], `preset '${name}'`);
}
