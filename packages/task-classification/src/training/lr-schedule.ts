import { constant, type GroupSchedule, type LrSchedule, piecewise } from '@openmind-ssl/core';

/**
 * The reference's CosineAnnealingLR_Warmstart, stepped once per epoch e (0-based): a linear warm-up
 * base·(e+1)/(W+1) for e < W, then base·½·(1 + cos(π·(e−W)/(T−W))) down to 0 at T (finetune-spec §2.3).
 */
export function cosineWarmstart(base: number, warmupEpochs: number, totalEpochs: number): LrSchedule {
  return piecewise([
    { until: warmupEpochs, schedule: { lr: (e) => (base * (e + 1)) / (warmupEpochs + 1) } },
    { until: Infinity, schedule: cosineFrom(base, warmupEpochs, totalEpochs) },
  ]);
}

/** Cosine from `base` at epoch `start` to 0 at `total`. */
function cosineFrom(base: number, start: number, total: number): LrSchedule {
  return { lr: (e) => (base * (1 + Math.cos((Math.PI * (e - start)) / (total - start)))) / 2 };
}

/** The parameter groups of a classifier: the new head and the pre-trained encoder (stem included). */
export type ClassifierGroup = 'head' | 'encoder';

/** Full fine-tuning: both groups follow {@link cosineWarmstart}. */
export function fullSchedule(base: number, warmupEpochs: number, totalEpochs: number): GroupSchedule {
  const s = cosineWarmstart(base, warmupEpochs, totalEpochs);
  return { name: 'full', groups: { head: s, encoder: s } };
}

/**
 * LoRA: the head and the encoder's low-rank adapters (the 'encoder' group holds only the adapters) both
 * follow {@link cosineWarmstart}; the encoder's own weights are frozen (no gradient: see the trainer).
 */
export function loraSchedule(base: number, warmupEpochs: number, totalEpochs: number): GroupSchedule {
  const s = cosineWarmstart(base, warmupEpochs, totalEpochs);
  return { name: 'lora', groups: { head: s, encoder: s } };
}

/** Linear probe: the head follows {@link cosineWarmstart}; the encoder is frozen (rate 0, and no gradient: see the trainer). */
export function linearProbeSchedule(base: number, warmupEpochs: number, totalEpochs: number): GroupSchedule {
  return { name: 'linear-probe', groups: { head: cosineWarmstart(base, warmupEpochs, totalEpochs), encoder: constant(0) } };
}

/**
 * The reference's full_sawtooth (CosineAnnealingLR_DoubleWarmstart): for e < W1 the encoder is held at 0
 * and the head warms up as in {@link cosineWarmstart}, base·(e+1)/(W1+1); for W1 ≤ e < W1+W2 both warm up
 * base·(e−W1+1)/W2; then both follow the cosine to 0 over the remaining T − W1 − W2 epochs.
 * The reference's default W2 is 0 (train.yaml); this port takes W2 = W1 by default so that the encoder
 * gets its own warm-up, which is what a "double warm-start" means (README).
 */
export function sawtoothSchedule(base: number, headWarmup: number, jointWarmup: number, totalEpochs: number): GroupSchedule {
  const joint = piecewise([
    { until: headWarmup + jointWarmup, schedule: { lr: (e) => (base * (e - headWarmup + 1)) / jointWarmup } },
    { until: Infinity, schedule: cosineFrom(base, headWarmup + jointWarmup, totalEpochs) },
  ]);
  return {
    name: 'sawtooth',
    groups: {
      head: piecewise([{ until: headWarmup, schedule: { lr: (e) => (base * (e + 1)) / (headWarmup + 1) } }, { until: Infinity, schedule: joint }]),
      encoder: piecewise([{ until: headWarmup, schedule: constant(0) }, { until: Infinity, schedule: joint }]),
    },
  };
}
