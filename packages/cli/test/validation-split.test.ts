import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticOpenMind, preprocessDataset } from '@openmind-ssl/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { validationSplit } from '../src/validation-split.js';

let store = '';

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-split-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 2, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
}, 300_000);

/** A run folder holding this splits_final.json text. */
function runWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'om-split-run-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'splits_final.json'), text);
  return dir;
}

describe('validationSplit', () => {
  it('should skip validation, saying why, when the store has fewer subjects than nnssl holds out', async () => {
    expect(await validationSplit(store, mkdtempSync(join(tmpdir(), 'om-split-run-')))).toEqual({
      skipped: "3 subjects in the store; nnssl's split holds out 5",
    });
  });

  it('should name a splits_final.json that is not JSON', async () => {
    await expect(validationSplit(store, runWith('{"train": ['))).rejects.toThrow(/splits_final\.json: not valid JSON .*expected \{"train": \[subject ids\], "val": \[subject ids\]\}/);
  });

  it('should name the field of a splits_final.json that is not a list of subject ids', async () => {
    await expect(validationSplit(store, runWith('{"train": "all", "val": []}'))).rejects.toThrow(/splits_final\.json: field 'train' must be an array of subject ids/);
    await expect(validationSplit(store, runWith('{"train": [], "val": [3]}'))).rejects.toThrow(/splits_final\.json: field 'val' must be an array of subject ids/);
  });

  it('should refuse a split whose train (or validation) subjects have no case in the store', async () => {
    const split = JSON.stringify({ train: ['OpenMind__0__sub-x'], val: ['Other__1__sub-y'] });
    await expect(validationSplit(store, runWith(split))).rejects.toThrow(/its train subjects have no case in store .*remove the file/);
  });
});
