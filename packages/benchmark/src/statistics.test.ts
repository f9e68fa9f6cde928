import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { meanSd, pairedTTest, ranksHigherBetter, studentTTwoSided } from './statistics.js';

const here = dirname(fileURLToPath(import.meta.url));
/** scipy.stats.ttest_rel on fixed numbers (test/fixtures/make_paired_t.py). */
const golden = JSON.parse(readFileSync(join(here, '..', 'test', 'fixtures', 'paired_t.json'), 'utf8')) as { a: number[]; b: number[]; t: number; p: number }[];

describe('pairedTTest', () => {
  it.each(golden.map((g, i) => [i, g] as const))('should match scipy.stats.ttest_rel on case %i (t within 1e-10, p within 1e-9 relative)', (_, g) => {
    const r = pairedTTest(g.a, g.b);
    expect(r.t).toBeCloseTo(g.t, 10);
    expect(Math.abs(r.p - g.p) / g.p).toBeLessThan(1e-9);
    expect(r.df).toBe(g.a.length - 1);
  });

  it('should give no p-value for one pair or for identical differences', () => {
    expect(pairedTTest([0.5], [0.4]).p).toBeNaN();
    expect(pairedTTest([0.5, 0.6], [0.4, 0.5]).p).toBeNaN();
  });

  it('should leave out pairs with a missing value', () => {
    const r = pairedTTest([0.71, NaN, 0.68, 0.74, 0.70, 0.69], [0.66, 0.5, 0.67, 0.70, 0.64, 0.69]);
    expect(r.n).toBe(5);
    expect(r.t).toBeCloseTo(golden[0]!.t, 10);
  });
});

describe('studentTTwoSided', () => {
  it('should give the textbook critical values: t(0.975, 4) = 2.776445, t(0.975, 30) = 2.042272', () => {
    expect(studentTTwoSided(2.776445105, 4)).toBeCloseTo(0.05, 8);
    expect(studentTTwoSided(2.042272456, 30)).toBeCloseTo(0.05, 8);
    expect(studentTTwoSided(0, 7)).toBeCloseTo(1, 12);
  });
});

describe('meanSd and ranks', () => {
  it('should use the sample sd and skip NaN', () => {
    const s = meanSd([1, 2, 3, 4, NaN]);
    expect(s).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3), n: 4 });
  });

  it('should rank higher values first and share ties', () => {
    expect(ranksHigherBetter([0.7, 0.9, 0.7, 0.1])).toEqual([2.5, 1, 2.5, 4]);
    expect(ranksHigherBetter([NaN, 0.2])).toEqual([2, 1]);
  });
});
