import { OpenMindError, type SampleTarget, type TargetDType } from '@openmind-ssl/core';

/** A per-case target as a dataset records it (JSON): values, their shape (default `[data.length]`) and type. */
export interface CaseTarget {
  data: readonly number[];
  shape?: readonly number[];
  /** Default 'int32' (class labels). */
  dtype?: TargetDType;
}

/** What a manifest or `PatchLoaderOptions.caseTargets` may give: a number (an int32 class label), a list, or a {@link CaseTarget}. */
export type CaseTargetInput = number | readonly number[] | CaseTarget;

const DTYPES: readonly TargetDType[] = ['float32', 'int32', 'uint8'];

/**
 * Checks and normalises the targets of one case.
 * @param where - the case and source, for error messages (e.g. `case "ds/sub-01" in manifest.json`).
 * @throws OpenMindError naming the target when a value, shape or dtype is not valid.
 */
export function normalizeCaseTargets(where: string, raw: Readonly<Record<string, CaseTargetInput>>): Record<string, CaseTarget> {
  const out: Record<string, CaseTarget> = {};
  for (const [name, input] of Object.entries(raw)) {
    const t: CaseTarget = typeof input === 'number' ? { data: [input] } : Array.isArray(input) ? { data: input as number[] } : (input as CaseTarget);
    const fail = (what: string) => new OpenMindError(`loader: target "${name}" of ${where} ${what}.`);
    if (!Array.isArray(t.data) || !t.data.every((v) => typeof v === 'number' && Number.isFinite(v))) throw fail('must have finite numbers as data');
    const dtype = t.dtype ?? 'int32';
    if (!DTYPES.includes(dtype)) throw fail(`must have dtype ${DTYPES.join(', ')}, but has "${String(dtype)}"`);
    if (dtype !== 'float32' && !t.data.every((v) => Number.isInteger(v) && (dtype === 'int32' ? Math.abs(v) < 2 ** 31 : v >= 0 && v < 256))) {
      throw fail(`must hold ${dtype} values (integers${dtype === 'uint8' ? ' in 0..255' : ''}), but has [${t.data.join(', ')}]`);
    }
    const shape = t.shape ?? [t.data.length];
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || shape.reduce((a, b) => a * b, 1) !== t.data.length) {
      throw fail(`must have a shape whose size is its ${t.data.length} values, but has shape [${shape.join(', ')}]`);
    }
    out[name] = { data: [...t.data], shape: [...shape], dtype };
  }
  return out;
}

/** The typed-array form of a (normalised) case target, as a view sampler and the batch see it. */
export function sampleTargetOf(t: CaseTarget): SampleTarget {
  const shape = t.shape ?? [t.data.length];
  const dtype = t.dtype ?? 'int32';
  const data = dtype === 'float32' ? Float32Array.from(t.data) : dtype === 'uint8' ? Uint8Array.from(t.data) : Int32Array.from(t.data);
  return { data, shape };
}
