import { OpenMindError, type Tensor } from '@openmind-ssl/core';

/**
 * nnU-Net's deep-supervision weights for `outputs` decoder outputs (highest resolution first): 1/2^i,
 * the lowest resolution set to 0, normalised to sum 1. Five outputs give 8/15, 4/15, 2/15, 1/15, 0.
 * One output gives [1].
 * @see finetune-spec §1.6, §4
 */
export function deepSupervisionWeights(outputs: number): number[] {
  if (!Number.isInteger(outputs) || outputs < 1) throw new RangeError(`deepSupervisionWeights: outputs must be a positive integer, but got ${outputs}.`);
  if (outputs === 1) return [1];
  const raw = Array.from({ length: outputs }, (_, i) => (i === outputs - 1 ? 0 : 1 / 2 ** i));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}

/**
 * The scale of each deep-supervision output relative to the input, per axis: 1 / cumprod(strides)
 * without the bottleneck (nnU-Net's `_get_deep_supervision_scales`).
 * @param strides per stage, [d, h, w]
 */
export function deepSupervisionScales(strides: readonly (readonly [number, number, number])[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  let total: [number, number, number] = [1, 1, 1];
  for (const s of strides.slice(0, -1)) {
    total = [total[0] * s[0], total[1] * s[1], total[2] * s[2]];
    out.push([1 / total[0], 1 / total[1], 1 / total[2]]);
  }
  return out;
}

/**
 * nnU-Net's DeepSupervisionWrapper: Σ w_i · loss(output_i, target_i) over the outputs whose weight is
 * not 0.
 * @param outputs logits per decoder resolution, highest first
 * @param targets the label map at each of those resolutions (see `downsampleLabels`)
 * @throws OpenMindError when the lists' lengths differ from the weights'
 */
export function deepSupervisionLoss(
  outputs: readonly Tensor[], targets: readonly Tensor[], weights: readonly number[], loss: (output: Tensor, target: Tensor) => Tensor,
): Tensor {
  if (outputs.length !== weights.length || targets.length !== weights.length) {
    throw new OpenMindError(`deep supervision: ${outputs.length} outputs and ${targets.length} targets must match the ${weights.length} weights.`);
  }
  let total: Tensor | undefined;
  weights.forEach((w, i) => {
    if (w === 0) return;
    const term = loss(outputs[i]!, targets[i]!).mul(w);
    total = total ? total.add(term) : term;
  });
  if (!total) throw new OpenMindError('deep supervision: every weight is 0.');
  return total;
}
