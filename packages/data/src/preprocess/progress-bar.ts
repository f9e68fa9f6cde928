import { ProgressBar } from '@openmind-ssl/core';

/** Progress of a preprocessing run. */
export interface PreprocessProgress {
  /** Cases finished in this run (written or failed), plus those skipped as already done. */
  done: number;
  total: number;
  /** Cases found complete from an earlier run. */
  skipped: number;
  /** Cases that failed (reported and left out). */
  failed: number;
  /** The case that just finished, if any. */
  id?: string;
  /** Error of that case, if it failed. */
  error?: string;
  elapsedMs: number;
}

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Where to draw. Default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Text before the bar. Default 'preprocess'. */
  label?: string;
  /** Seconds between lines when the stream is not a terminal. Default 10. */
  intervalS?: number;
}

/**
 * A progress callback for preprocessing on core's {@link ProgressBar}: a bar redrawn in place on a terminal,
 * plain periodic lines otherwise (log files, CI). Failed cases are always printed on a line of their own.
 * The rate and ETA count only the cases worked on in this run, not those found done.
 */
export function progressBar(options: ProgressBarOptions = {}): (p: PreprocessProgress) => void {
  const label = options.label ?? 'preprocess';
  let bar: ProgressBar | undefined;
  return (p) => {
    bar ??= new ProgressBar(label, p.total, options.stream ?? process.stderr, options.intervalS ?? 10);
    const elapsedS = p.elapsedMs / 1000;
    const worked = p.done - p.skipped;
    const rate = worked > 0 ? worked / elapsedS : 0;
    if (p.error) bar.log(`${label}: case "${p.id}" failed and was skipped: ${p.error}`);
    const text = [p.skipped ? `(${p.skipped} already done)` : '', p.failed ? `${p.failed} failed` : '', `${rate.toFixed(2)} cases/s`];
    bar.update(p.done, text.filter(Boolean).join(' '), { elapsedS, etaS: rate > 0 ? (p.total - p.done) / rate : Infinity });
  };
}
