export type { FuzzSettings } from './fuzz-settings.js';
export { CI_FUZZ_CASES, CI_FUZZ_SEED, fuzzSettings } from './fuzz-settings.js';
export type { BinaryField, ByteMutation } from './byte-mutations.js';
export { EXTREME_NUMBERS, applyMutations, byteMutation, byteMutations, describeMutations } from './byte-mutations.js';
export type { ParserBounds, ParserOutcome } from './parser-outcome.js';
export { ParserInvariantError, parserOutcome } from './parser-outcome.js';
export type { JsonMutation } from './json-mutations.js';
export { applyJsonMutations, describeJsonMutations, jsonMutations } from './json-mutations.js';
