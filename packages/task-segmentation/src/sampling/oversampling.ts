import { roundHalfEven } from '@openmind-ssl/data';

/** nnU-Net's `oversample_foreground_percent`. */
export const OVERSAMPLE_FOREGROUND = 0.33;

/**
 * nnU-Net's deterministic foreground oversampling (`_oversample_last_XX_percent`): within a batch of
 * `batchSize`, sample `i` is forced to contain foreground unless `i < round(batchSize · (1 − percent))`
 * (Python's round, ties to even). B=1: none; B=2: {1}; B=4: {3}; B=8: {5, 6, 7}.
 */
export function isForcedForeground(sampleIndex: number, batchSize: number, percent = OVERSAMPLE_FOREGROUND): boolean {
  return !(sampleIndex < roundHalfEven(batchSize * (1 - percent)));
}
