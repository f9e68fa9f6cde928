import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { foldCases, kFoldSplits, loadOrCreateSplits, randomSplit8020, readSplits, type SplitFold } from './kfold-splits.js';

const hasSklearn = requirePython(['sklearn', 'numpy']);
// Made by fixtures/make_kfold_sklearn.py (scikit-learn's KFold(5, shuffle=True, random_state=12345)).
const committed = JSON.parse(readFileSync(new URL('./fixtures/kfold-sklearn.json', import.meta.url), 'utf8')) as Record<string, SplitFold[]>;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `case_${String(i).padStart(3, '0')}`);

describe('kFoldSplits', () => {
  it('should equal the committed scikit-learn splits, whatever order the ids come in', () => {
    expect(kFoldSplits(ids(7))).toEqual(committed['7']);
    expect(kFoldSplits(ids(10).reverse())).toEqual(committed['10']);
  });

  it('should put every case in exactly one validation fold', () => {
    const splits = kFoldSplits(ids(23));
    expect(splits.flatMap((s) => s.val).sort()).toEqual(ids(23));
    expect(splits.map((s) => s.val.length)).toEqual([5, 5, 5, 4, 4]);
    for (const s of splits) expect(s.train.length + s.val.length).toBe(23);
  });

  it('should refuse fewer cases than folds', () => {
    expect(() => kFoldSplits(ids(4))).toThrow(/needs at least 5 cases, but the dataset has 4/);
  });

  it.skipIf(!hasSklearn)('should equal scikit-learn for several dataset sizes and unsorted mixed-case ids', () => {
    const sets = [ids(5), ids(6), ids(11), ids(64), ['b', 'B', 'a10', 'a2', 'Z_1', 'z', '_x', 'a1']];
    const script = `import json,sys\nfrom sklearn.model_selection import KFold\nout=[]\nfor ids in json.loads(sys.stdin.read()):\n    ids=sorted(ids)\n    out.append([{'train':[ids[i] for i in tr],'val':[ids[i] for i in te]} for tr,te in KFold(5,shuffle=True,random_state=12345).split(ids)])\nprint(json.dumps(out))`;
    const expected = JSON.parse(runPython(['-c', script], JSON.stringify(sets))) as SplitFold[][];
    sets.forEach((s, i) => expect(kFoldSplits(s)).toEqual(expected[i]));
  });
});

describe('foldCases', () => {
  it('should take the fold, all cases for "all", and nnU-Net\'s seeded 80:20 split beyond the splits', () => {
    const splits = kFoldSplits(ids(7));
    expect(foldCases(splits, ids(7), 2)).toEqual(committed['7']![2]);
    expect(foldCases(splits, ids(7), 'all')).toEqual({ train: ids(7), val: ids(7) });
    // numpy: RandomState(12345 + 5).choice(6, 4, replace=False) = [4, 0, 3, 5].
    expect(randomSplit8020(ids(6), 5)).toEqual({ train: ['case_004', 'case_000', 'case_003', 'case_005'], val: ['case_001', 'case_002'] });
    expect(foldCases(kFoldSplits(ids(6)), ids(6), 5)).toEqual(randomSplit8020(ids(6), 5));
    expect(() => foldCases(splits, ids(7), -1)).toThrow(RangeError);
  });
});

describe('loadOrCreateSplits', () => {
  it('should write splits_final.json once and keep a user-edited file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splits-'));
    const file = join(dir, 'splits_final.json');
    expect(await loadOrCreateSplits(file, ids(7))).toEqual(committed['7']);
    expect(await readSplits(file)).toEqual(committed['7']);
    await writeFile(file, JSON.stringify([{ train: ['case_000'], val: ['case_001'] }]));
    expect(await loadOrCreateSplits(file, ids(7))).toEqual([{ train: ['case_000'], val: ['case_001'] }]);
    await writeFile(file, JSON.stringify({ train: [] }));
    await expect(readSplits(file)).rejects.toThrow(/must be a list of \{"train": \[ids\], "val": \[ids\]\}/);
    await rm(dir, { recursive: true });
  });
});
