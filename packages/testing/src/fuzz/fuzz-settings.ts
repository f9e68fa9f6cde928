/**
 * How many cases each parser's property runs, and with which seed. `npm test` runs a CI-sized, seeded
 * run; `npm run fuzz -- --cases N [--seed S]` sets OPENMIND_FUZZ_CASES / OPENMIND_FUZZ_SEED for long runs.
 */
export interface FuzzSettings {
  numRuns: number;
  seed: number;
}

/** Default cases per parser in `npm test` (small enough that every fuzz file stays within seconds). */
export const CI_FUZZ_CASES = 200;
/** The fixed seed of the CI run, so a failure there reproduces locally. */
export const CI_FUZZ_SEED = 20_260_126;

/**
 * The settings for one property: `fraction` scales the case count for costly parsers.
 * @throws Error when OPENMIND_FUZZ_CASES or OPENMIND_FUZZ_SEED is not a non-negative integer
 */
export function fuzzSettings(fraction = 1): FuzzSettings {
  const cases = intFromEnv('OPENMIND_FUZZ_CASES', CI_FUZZ_CASES);
  const seed = intFromEnv('OPENMIND_FUZZ_SEED', CI_FUZZ_SEED);
  return { numRuns: Math.max(1, Math.round(cases * fraction)), seed };
}

function intFromEnv(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, but got '${v}'`);
  return n;
}
