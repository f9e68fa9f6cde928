import type { Optimizer } from '../optimizer.js';
import {
  constant, linearIncrease, linearIncreaseOffset, piecewise, poly, polyOffset, type LrSchedule,
} from './lr-schedule.js';

/**
 * Learning rates per parameter group: fine-tuning schedules treat the pre-trained encoder and the new
 * decoder differently. A group whose rate is 0 is not updated (the optimizer skips it), but its
 * gradients are still computed; to skip those too, freeze its parameters in a recipe phase
 * (TrainingPhase.frozen).
 */
export interface GroupSchedule {
  readonly name: string;
  readonly groups: Readonly<Record<string, LrSchedule>>;
}

/** Writes every group's rate for step t into the optimizer (groups it does not name keep theirs). */
export function applyGroupSchedule(schedule: GroupSchedule, optimizer: Optimizer, t: number): void {
  for (const g of optimizer.groups) {
    const s = schedule.groups[g.name];
    if (s) g.lr = s.lr(t);
  }
}

/** One schedule for the whole network in a group named 'default'. */
export function wholeNetwork(schedule: LrSchedule, name = 'default'): GroupSchedule {
  return { name, groups: { default: schedule } };
}

/**
 * Warm-Up (openmind-paper §3.4): the whole network rises linearly to `peakLr` over `warmupEpochs`
 * (50 of 1000, or 15 of 150), then decays by poly.
 */
export function warmUpSchedule(peakLr: number, warmupEpochs: number, totalEpochs: number): GroupSchedule {
  const s = piecewise([
    { until: warmupEpochs, schedule: linearIncrease(peakLr, warmupEpochs) },
    { until: Infinity, schedule: polyOffset(peakLr, totalEpochs, warmupEpochs) },
  ]);
  return { name: 'warm-up', groups: { encoder: s, decoder: s } };
}

/**
 * Sawtooth (openmind-paper §3.4), with stage length s (25 of 1000 epochs, 15 of 150): the decoder warms
 * up over [0, s) and decays over [s, 2s) while the encoder is frozen; then the whole network warms up over
 * [2s, 4s) and decays by poly to the end. `decoderLrScale` scales the decoder-only phases (0.01 for Primus).
 */
export function sawtoothSchedule(peakLr: number, stage: number, totalEpochs: number, decoderLrScale = 1): GroupSchedule {
  const decoderPeak = peakLr * decoderLrScale;
  const joint = [
    { until: 4 * stage, schedule: linearIncreaseOffset(peakLr, 4 * stage, 2 * stage) },
    { until: Infinity, schedule: polyOffset(peakLr, totalEpochs, 4 * stage) },
  ];
  return {
    name: 'sawtooth',
    groups: {
      decoder: piecewise([
        { until: stage, schedule: linearIncrease(decoderPeak, stage) },
        { until: 2 * stage, schedule: polyOffset(decoderPeak, 2 * stage, stage) },
        ...joint,
      ]),
      encoder: piecewise([{ until: 2 * stage, schedule: constant(0) }, ...joint]),
    },
  };
}

/** Frozen encoder (openmind-paper §3.4): only the decoder trains, warm-up then poly. */
export function frozenEncoderSchedule(peakLr: number, warmupEpochs: number, totalEpochs: number): GroupSchedule {
  return {
    name: 'frozen-encoder',
    groups: {
      encoder: constant(0),
      decoder: piecewise([
        { until: warmupEpochs, schedule: linearIncrease(peakLr, warmupEpochs) },
        { until: Infinity, schedule: polyOffset(peakLr, totalEpochs, warmupEpochs) },
      ]),
    },
  };
}

/** Default nnU-Net fine-tuning: poly decay of the whole network from `initialLr`. */
export function defaultFineTuneSchedule(initialLr: number, totalEpochs: number): GroupSchedule {
  const s = poly(initialLr, totalEpochs);
  return { name: 'default', groups: { encoder: s, decoder: s, default: s } };
}
