import { OpenMindError } from '@openmind-ssl/core';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import type { PretrainCollection } from './pretrain-data.js';
import { nnsslValidationCount, subjectSplit } from './subject-split.js';

const py = { ok: requirePython(['random']) };

/** A collection of `n` subjects over three datasets, with unsorted keys and a second session for some. */
function collection(n: number): PretrainCollection {
  const c: PretrainCollection = { collection_index: 1, collection_name: 'Dataset001_OpenMind', datasets: {} };
  for (let i = n - 1; i >= 0; i--) {
    const ds = `ds00${(i * 7) % 3}`;
    const sub = `sub-${(i * 37) % 1000}-${i}`;
    const d = (c.datasets[ds] ??= { dataset_index: ds, name: null, dataset_info: null, subjects: {} });
    const sessions = i % 4 === 0 ? ['ses-1', 'ses-2'] : ['ses-DEFAULT'];
    d.subjects[sub] = {
      subject_id: sub,
      subject_info: null,
      sessions: Object.fromEntries(
        sessions.map((s) => [s, { session_id: s, session_info: null, images: [{ name: 'a.nii.gz', image_path: `/x/${sub}/${s}.nii.gz`, modality: 'T1w', image_info: null, associated_masks: null }] }]),
      ),
    };
  }
  return c;
}

/** What nnssl's do_split computes, run in CPython. */
function pythonSplit(ids: string[]): string[] {
  const code = [
    'import json, random, sys',
    'ids = sorted(set(json.load(sys.stdin)))',
    'n_val = min(1000, max(int(len(ids) / 100), 5))',
    'print(json.dumps(random.Random(12345).sample(ids, n_val)))',
  ].join('\n');
  return JSON.parse(runPython(['-c', code], JSON.stringify(ids))) as string[];
}

describe('subjectSplit', () => {
  it('should split subjects, not sessions, and keep train and val disjoint and complete', () => {
    const split = subjectSplit(collection(30));
    expect(split.val).toHaveLength(5);
    expect(split.train).toHaveLength(25);
    expect(new Set([...split.train, ...split.val]).size).toBe(30);
    expect(split.val.every((id) => id.startsWith('Dataset001_OpenMind__ds00'))).toBe(true);
  });

  it('should take 1% of the subjects for validation, at least 5 and at most 1000', () => {
    expect([4, 499, 500, 1000, 1099, 100_099, 100_100, 1_000_000].map(nnsslValidationCount)).toEqual([5, 5, 5, 10, 10, 1000, 1000, 1000]);
  });

  it('should refuse fewer subjects than validation slots, as nnssl cannot split them', () => {
    expect(() => subjectSplit(collection(4))).toThrow(OpenMindError);
    expect(() => subjectSplit(collection(4))).toThrow(/at least 5 subjects, but "Dataset001_OpenMind" has 4/);
  });

  describe.skipIf(!py.ok)("having CPython's random.Random(12345).sample as reference", () => {
    it.each([5, 7, 20, 150, 700, 2345, 12_000])('should pick the same validation subjects for %i subjects', (n) => {
      const c = collection(n);
      const split = subjectSplit(c);
      const ids = [...split.train, ...split.val];
      expect(split.val).toEqual(pythonSplit(ids));
      expect(split.val).toHaveLength(Math.min(1000, Math.max(Math.floor(n / 100), 5)));
    });
  });
});
