import type { Tensor } from '../tensor/tensor.js';

/**
 * How a tensor was computed: its inputs and the rule that turns the gradient of the output into
 * gradients of the inputs (one entry per input; undefined where no gradient flows). Rules are written
 * with tensor ops, once, in core; backends never define gradients.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (dy: Tensor) => readonly (Tensor | undefined)[];
}

/**
 * Attaches a gradient rule to `out` when gradients are being recorded and some input needs one.
 * Returns `out`.
 */
export function record(
  out: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | undefined)[],
): Tensor {
  if (out.engine.gradEnabled && inputs.some((t) => t.needsGrad)) {
    out.node = { op, inputs, backward };
  }
  return out;
}
