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

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * A progress callback that draws a bar on a terminal (one line, redrawn in place) and prints plain
 * periodic lines otherwise (log files, CI). Failed cases are always printed on a line of their own.
 */
export function progressBar(options: ProgressBarOptions = {}): (p: PreprocessProgress) => void {
  const stream = options.stream ?? process.stderr;
  const label = options.label ?? 'preprocess';
  const tty = Boolean(stream.isTTY);
  const interval = (options.intervalS ?? 10) * 1000;
  let lastPrint = -Infinity;
  return (p) => {
    const worked = p.done - p.skipped;
    const rate = worked > 0 ? worked / (p.elapsedMs / 1000) : 0;
    const eta = rate > 0 ? duration(((p.total - p.done) / rate) * 1000) : '--';
    const pct = p.total ? Math.floor((100 * p.done) / p.total) : 100;
    const tail = `${p.done}/${p.total}${p.skipped ? ` (${p.skipped} already done)` : ''}${p.failed ? ` ${p.failed} failed` : ''} ${rate.toFixed(2)} cases/s ETA ${eta}`;
    if (p.error) stream.write(`${tty ? '\r\x1b[K' : ''}${label}: case "${p.id}" failed and was skipped: ${p.error}\n`);
    const finished = p.done === p.total;
    if (tty) {
      const width = 30;
      const fill = Math.round((width * pct) / 100);
      stream.write(`\r\x1b[K${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}% ${tail}${finished ? '\n' : ''}`);
    } else if (finished || p.elapsedMs - lastPrint >= interval) {
      lastPrint = p.elapsedMs;
      stream.write(`${label}: ${pct}% ${tail}\n`);
    }
  };
}
