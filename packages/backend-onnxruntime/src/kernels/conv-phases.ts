/**
 * Splits the input-gradient of a strided convolution into stride-1 convolutions, one per output
 * phase (position modulo the stride), along one spatial axis.
 *
 * For y[o] = Σ_t w[t]·x[o·s + t·dil − p], the gradient dx[i] with i = m·s + r collects the taps t with
 * (r + p − t·dil) ≡ 0 (mod s), each reading dy[m + q_t] where q_t = (r + p − t·dil) / s. Those q_t are
 * evenly spaced, so each phase is an ordinary (correlation) convolution of dy with a sub-kernel: no
 * zero insertion, so no wasted multiplications (a transposed conv by zero insertion does s³ times the
 * work), and for stride 1 it is the familiar flipped-kernel convolution.
 */
export interface AxisPhase {
  /** Kernel taps used, in the order of the phase's sub-kernel (descending t = ascending q). */
  readonly taps: readonly number[];
  /** Dilation of the sub-kernel (spacing of consecutive q values). */
  readonly dilation: number;
  /** q of the first tap: dx_r[m] reads dy[m + start + j·dilation]. */
  readonly start: number;
  /** Number of dx positions in this phase: ⌈(size − r) / s⌉. */
  readonly count: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The `stride` phases of one axis (index r = residue). */
export function axisPhases(size: number, kernel: number, stride: number, pad: number, dilation: number): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let r = 0; r < stride; r++) {
    const taps: number[] = [];
    for (let t = kernel - 1; t >= 0; t--) {
      if ((((r + pad - t * dilation) % stride) + stride) % stride === 0) taps.push(t);
    }
    const count = Math.max(0, Math.ceil((size - r) / stride));
    const start = taps.length > 0 ? (r + pad - taps[0]! * dilation) / stride : 0;
    phases.push({ taps, dilation: dilation / gcd(stride, dilation), start, count });
  }
  return phases;
}

/**
 * How a phase convolution reads dy along one axis: slice dy to [sliceStart, sliceEnd) (only when
 * the phase needs less than all of it) and zero-pad by padBefore/padAfter. Negative ONNX pads are not
 * allowed, hence the split into a slice and a pad.
 */
export interface AxisWindow {
  readonly sliceStart: number;
  readonly sliceEnd: number;
  readonly padBefore: number;
  readonly padAfter: number;
}

export function phaseWindow(phase: AxisPhase, dySize: number): AxisWindow {
  const first = phase.start;
  const last = phase.start + phase.count - 1 + (phase.taps.length - 1) * phase.dilation;
  return {
    sliceStart: Math.max(0, first),
    sliceEnd: Math.min(dySize, last + 1),
    padBefore: Math.max(0, -first),
    padAfter: Math.max(0, last - (dySize - 1)),
  };
}
