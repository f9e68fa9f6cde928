import { OpenMindError, type HostTarget, type SampleTarget, type TargetDType } from '@openmind-ssl/core';

/** Element type of a target's array. */
export function targetDType(data: SampleTarget['data']): TargetDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  throw new OpenMindError(`loader: a target must be a Float32Array, Int32Array or Uint8Array, but got ${Object.prototype.toString.call(data)}.`);
}

/**
 * Stacks the targets of a batch's samples along a new first axis. Every sample must give the same target
 * names, each with the same shape and element type.
 * @param source - where the targets come from, for error messages ('the dataset', 'view sampler "x"').
 * @throws OpenMindError naming the target and the case when samples disagree or a size does not match.
 */
export function stackTargets(samples: readonly { caseId: string; targets: Readonly<Record<string, SampleTarget>> }[], source: string): Record<string, HostTarget> {
  const first = samples[0];
  if (!first) return {};
  const names = Object.keys(first.targets).sort();
  const other = samples.find((s) => Object.keys(s.targets).sort().join('\0') !== names.join('\0'));
  if (other) {
    throw new OpenMindError(`loader: every sample of a batch must have the same targets from ${source}, but case "${first.caseId}" has [${names.join(', ')}] and case "${other.caseId}" has [${Object.keys(other.targets).sort().join(', ')}].`);
  }
  const out: Record<string, HostTarget> = {};
  for (const name of names) {
    const t0 = first.targets[name]!;
    const dtype = targetDType(t0.data);
    const size = t0.shape.reduce((a, b) => a * b, 1);
    const data = dtype === 'float32' ? new Float32Array(samples.length * size) : dtype === 'int32' ? new Int32Array(samples.length * size) : new Uint8Array(samples.length * size);
    samples.forEach((s, i) => {
      const t = s.targets[name]!;
      const where = `target "${name}" from ${source} for case "${s.caseId}"`;
      if (t.shape.length !== t0.shape.length || t.shape.some((d, k) => d !== t0.shape[k])) {
        throw new OpenMindError(`loader: ${where} must have shape [${t0.shape.join(', ')}] like the batch's first sample, but has [${t.shape.join(', ')}].`);
      }
      if (targetDType(t.data) !== dtype) throw new OpenMindError(`loader: ${where} must be ${dtype} like the batch's first sample, but is ${targetDType(t.data)}.`);
      if (t.data.length !== size) throw new OpenMindError(`loader: ${where} must hold ${size} values for shape [${t.shape.join(', ')}], but has ${t.data.length}.`);
      data.set(t.data, i * size);
    });
    out[name] = { data, shape: [samples.length, ...t0.shape], dtype };
  }
  return out;
}
