import { describe, expect, it } from 'vitest';
import { progressBar } from './progress-bar.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY, write: (s: string) => { out += s; return true; } } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('progressBar', () => {
  describe('having a terminal', () => {
    it('should redraw one line in place and end it when done', () => {
      const { stream, text } = fakeStream(true);
      const bar = progressBar({ stream });
      bar({ done: 0, total: 4, skipped: 0, failed: 0, elapsedMs: 0 });
      bar({ done: 2, total: 4, skipped: 0, failed: 0, id: 'a', elapsedMs: 1000 });
      bar({ done: 4, total: 4, skipped: 0, failed: 0, id: 'b', elapsedMs: 2000 });
      expect(text().split('\n')).toHaveLength(2);
      expect(text()).toContain('\r\x1b[K');
      expect(text()).toMatch(/\[#{12}\.{12}\] 50% 2\/4/);
      expect(text().trimEnd().endsWith('ETA 0s')).toBe(true);
    });
  });

  describe('having a log file', () => {
    it('should print plain lines at intervals, and every failed case on its own line', () => {
      const { stream, text } = fakeStream(false);
      const bar = progressBar({ stream, intervalS: 10 });
      bar({ done: 0, total: 3, skipped: 0, failed: 0, elapsedMs: 0 });
      bar({ done: 1, total: 3, skipped: 0, failed: 1, id: 'bad', error: 'NaN voxels', elapsedMs: 1000 });
      bar({ done: 3, total: 3, skipped: 0, failed: 1, id: 'c', elapsedMs: 2000 });
      const lines = text().trimEnd().split('\n');
      expect(lines).toEqual([
        'preprocess: 0% 0/3 0.00 cases/s ETA --',
        'preprocess: case "bad" failed and was skipped: NaN voxels',
        'preprocess: 100% 3/3 1 failed 1.50 cases/s ETA 0s',
      ]);
      expect(text()).not.toContain('\r');
    });
  });
});
