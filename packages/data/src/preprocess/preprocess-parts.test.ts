import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessDataset } from './preprocess-dataset.js';
import { partRange } from './preprocess-parts.js';
import { writeSyntheticDataset } from './testing/synthetic-cases.js';

const root = mkdtempSync(join(tmpdir(), 'om-parts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let input = '';
beforeAll(async () => {
  input = await writeSyntheticDataset(join(root, 'raw'), { cases: 7, shape: [12, 10, 8], spacing: [1, 1, 1.5], nanCases: [4] });
});

/** Every file of a store with its bytes (its own folder name replaced), except the part records. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/^part__/.test(e)) out.set(relative(dir, p), readFileSync(p, 'latin1').split(dir).join('<OUT>'));
    }
  };
  walk(dir);
  return out;
}

describe('partRange', () => {
  it("should split as nnssl: n chunks of ⌊N/n⌋, the last taking the remainder", () => {
    expect([0, 1, 2].map((index) => partRange(10, { index, count: 3 }))).toEqual([[0, 3], [3, 6], [6, 10]]);
    expect(partRange(2, { index: 2, count: 3 })).toEqual([0, 2]);
    expect(() => partRange(5, { index: 3, count: 3 })).toThrow(/--part must be in 0\.\.2/);
  });
});

describe('preprocessDataset in parts', () => {
  it('should write the same store in 3 parts as in one run, the manifest only once every part is done', async () => {
    const whole = await preprocessDataset({ input, out: join(root, 'whole'), workers: 0 });
    const out = join(root, 'parts');
    const p2 = await preprocessDataset({ input, out, workers: 0, part: { index: 2, count: 3 } });
    expect(p2.merged).toBe(false);
    expect(existsSync(join(p2.dataDir, 'manifest.json'))).toBe(false);
    await expect(preprocessDataset({ input, out, workers: 0, part: { index: 0, count: 3 }, merge: true })).rejects.toThrow(/not all 3 parts .* are finished/);
    const p0 = await preprocessDataset({ input, out, workers: 0, part: { index: 0, count: 3 } });
    expect(p0.merged).toBe(false);
    const p1 = await preprocessDataset({ input, out, workers: 0, part: { index: 1, count: 3 } });
    expect(p1.merged).toBe(true);
    // Parts of 2, 2 and 3 cases; the NaN case fails in one of them and is listed in the merged manifest.
    expect(p0.processed + p1.processed + p2.processed).toBe(whole.processed);
    expect(whole.failed).toHaveLength(1);
    expect(snapshot(out)).toEqual(snapshot(join(root, 'whole')));
    expect(whole.failed.map((f) => f.id)).toEqual(p1.failed.map((f) => f.id));
  });
});
