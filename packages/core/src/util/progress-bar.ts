/** A writable text stream (process.stderr in Node). */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Formats seconds as 1h02m, 3m05s or 12s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * One progress line: redrawn in place on a terminal, printed every `intervalS` seconds (and at the end)
 * elsewhere, so log files and CI output stay readable.
 */
export class ProgressBar {
  private lastPrint = -Infinity;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: TextStream = process.stderr,
    private readonly intervalS = 10,
  ) {}

  /**
   * Shows `done` of `total` with extra text (loss, rate…). The ETA comes from the average rate so far,
   * unless `timing` gives the elapsed time (for the print interval) and the ETA (callers that know better,
   * e.g. preprocessing, which skips finished cases).
   */
  update(done: number, text = '', timing: { elapsedS?: number; etaS?: number } = {}): void {
    const elapsed = timing.elapsedS ?? (Date.now() - this.started) / 1000;
    const eta = timing.etaS ?? (done > 0 ? (elapsed / done) * (this.total - done) : Infinity);
    const pct = this.total ? Math.floor((100 * done) / this.total) : 100;
    const tail = `${done}/${this.total} ${text}${text ? ' ' : ''}ETA ${formatDuration(eta)}`;
    const finished = done >= this.total;
    if (this.stream.isTTY) {
      const width = 24;
      const fill = Math.round((width * pct) / 100);
      this.stream.write(`\r\x1b[K${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}% ${tail}${finished ? '\n' : ''}`);
    } else if (finished || elapsed - this.lastPrint >= this.intervalS) {
      this.lastPrint = elapsed;
      this.stream.write(`${this.label}: ${pct}% ${tail}\n`);
    }
  }

  /** Prints a message on its own line without breaking the bar. */
  log(message: string): void {
    this.stream.write(`${this.stream.isTTY ? '\r\x1b[K' : ''}${message}\n`);
  }
}
