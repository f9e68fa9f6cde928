/**
 * A learning-rate rule: the rate at step t (an epoch or an iteration index, whichever the trainer steps
 * it by). Schedules are pure functions of t, so a resumed run gets the same rates.
 */
export interface LrSchedule {
  lr(t: number): number;
}

/** Poly decay: lr0 · (1 − t/T)^exponent (nnssl PolyLRScheduler). */
export function poly(initialLr: number, maxSteps: number, exponent = 0.9): LrSchedule {
  return { lr: (t) => initialLr * Math.max(0, 1 - t / maxSteps) ** exponent };
}

/** Poly decay that starts at `startStep` (nnssl PolyLRScheduler_offset; t < start counts as start). */
export function polyOffset(initialLr: number, maxSteps: number, startStep: number, exponent = 0.9): LrSchedule {
  return {
    lr: (t) => initialLr * Math.max(0, 1 - Math.max(0, t - startStep) / (maxSteps - startStep)) ** exponent,
  };
}

/** Linear increase: maxLr / T · (1 + t) (nnssl Lin_incr_LRScheduler). */
export function linearIncrease(maxLr: number, maxSteps: number): LrSchedule {
  return { lr: (t) => (maxLr / maxSteps) * (1 + t) };
}

/** Linear increase from `startStep`: maxLr / (T − s) · (1 + t − s) (nnU-Net fork's Lin_incr_offset). */
export function linearIncreaseOffset(maxLr: number, maxSteps: number, startStep: number): LrSchedule {
  return { lr: (t) => (maxLr / (maxSteps - startStep)) * (1 + t - startStep) };
}

/** Constant rate. */
export function constant(lr: number): LrSchedule {
  return { lr: () => lr };
}

/**
 * `schedule` times `factor`: a group's rate relative to another's (e.g. the decoder at 0.01 × the
 * encoder's rate in Primus' Sawtooth).
 */
export function scaled(schedule: LrSchedule, factor: number): LrSchedule {
  return { lr: (t) => schedule.lr(t) * factor };
}

/** Piecewise: each piece applies for t < until (the last piece for every later t). */
export function piecewise(pieces: readonly { until: number; schedule: LrSchedule }[]): LrSchedule {
  return {
    lr: (t) => (pieces.find((p) => t < p.until) ?? pieces[pieces.length - 1]!).schedule.lr(t),
  };
}

/**
 * Linear warm-up then poly decay — the Primus pre-training rule: t < W gives peak·(t+1)/W, later
 * peak·(1 − (t − W)/(T − W))^0.9.
 */
export function warmupPoly(peakLr: number, warmupSteps: number, totalSteps: number, exponent = 0.9): LrSchedule {
  return piecewise([
    { until: warmupSteps, schedule: linearIncrease(peakLr, warmupSteps) },
    { until: Infinity, schedule: polyOffset(peakLr, totalSteps, warmupSteps, exponent) },
  ]);
}

/**
 * nnssl ContinuedPolyLRSchedulerWithWarmup: warmupLr + initialLr·max(0, t − start)/W during warm-up, then
 * finalLr + (initialLr − finalLr)·(1 − (t − start − W)/(T − start − W))^0.9.
 */
export function continuedPolyWithWarmup(o: {
  startStep: number;
  initialLr: number;
  warmupLr: number;
  warmupSteps: number;
  totalSteps: number;
  finalLr: number;
  exponent?: number;
}): LrSchedule {
  const exp = o.exponent ?? 0.9;
  return {
    lr: (t) => {
      if (t < o.warmupSteps + o.startStep) return o.warmupLr + (o.initialLr * Math.max(0, t - o.startStep)) / o.warmupSteps;
      const progress = (t - o.startStep - o.warmupSteps) / (o.totalSteps - o.startStep - o.warmupSteps);
      return o.finalLr + (o.initialLr - o.finalLr) * Math.max(0, 1 - progress) ** exp;
    },
  };
}
