import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTestDataset } from '../../test/support/write-dataset.js';
import { openClassificationDataset } from './classification-dataset.js';
import { readClassificationFolder } from './classification-folder.js';
import { parseLabelsCsv, sortClassNames } from './labels-csv.js';

const roots: string[] = [];
afterEach(async () => { for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true }); });
const vol = (s: number, v = 1) => new Float32Array(s ** 3).fill(v);
async function dataset(labels: string[], header?: string): Promise<string> {
  const root = await writeTestDataset(labels.map((label, i) => ({ id: `c${i}`, channels: [vol(4, i + 1)], size: 4, label })), header);
  roots.push(root);
  return root;
}

describe('labels.csv', () => {
  it('maps string labels to classes in sorted order, independent of row order', () => {
    const t = parseLabelsCsv('case,label\na,TC\nb,ASD\nc,TC\n', 'labels.csv');
    expect(t.classes).toEqual(['ASD', 'TC']);
    expect([...t.targets.get('a')!]).toEqual([1]);
    expect([...t.targets.get('b')!]).toEqual([0]);
  });
  it('sorts numeric labels numerically (10 after 2)', () => {
    expect(sortClassNames(['10', '2', '1'])).toEqual(['1', '2', '10']);
  });
  it('reads several label columns as multi-label 0/1 vectors', () => {
    const t = parseLabelsCsv('case,acl,meniscus,abnormal\nx,1,0,1\n', 'labels.csv');
    expect(t.kind).toBe('multilabel');
    expect(t.classes).toEqual(['acl', 'meniscus', 'abnormal']);
    expect([...t.targets.get('x')!]).toEqual([1, 0, 1]);
    expect(() => parseLabelsCsv('case,a,b\nx,1,2\n', 'L.csv')).toThrow(/L\.csv: case 'x', column 'b'.*0 or 1.*'2'/);
  });
  it('names the file and the case for an unknown class', () => {
    expect(() => parseLabelsCsv('case,label\na,TC\nb,XX\n', '/d/labels.csv', ['ASD', 'TC'])).toThrow(/\/d\/labels\.csv: case 'b' has the unknown class 'XX'/);
  });
  it('refuses a duplicate case and a short row, naming the line', () => {
    expect(() => parseLabelsCsv('case,label\na,1\na,0\n', 'L.csv')).toThrow(/case 'a' is listed twice \(line 3\)/);
    expect(() => parseLabelsCsv('case,label\na\n', 'L.csv')).toThrow(/line 2 has 1 values/);
  });
});

describe('dataset folder', () => {
  it('pairs images with labels and reads the channel count', async () => {
    const root = await dataset(['1', '0', '1']);
    const f = await readClassificationFolder(root);
    expect(f.caseIds).toEqual(['c0', 'c1', 'c2']);
    expect(f.channels).toBe(1);
    expect(f.labels.classes).toEqual(['0', '1']);
  });
  it('names labels.csv and the case for a labelled case without image', async () => {
    const root = await dataset(['1', '0']);
    await unlink(join(root, 'images', 'c1_0000.nii.gz'));
    await expect(readClassificationFolder(root)).rejects.toThrow(/labels\.csv: case 'c1' has no image/);
  });
  it('names the image and the case for an image without label', async () => {
    const root = await dataset(['1', '0', '0']);
    await writeFile(join(root, 'labels.csv'), 'case,label\nc0,1\nc2,0\n');
    await expect(readClassificationFolder(root)).rejects.toThrow(/c1_0000\.nii\.gz: case 'c1' has an image but no row/);
  });
  it('takes the class order from classes.json and refuses a class outside it', async () => {
    const root = await dataset(['b', 'a']);
    await writeFile(join(root, 'classes.json'), '["b", "a", "z"]');
    expect((await readClassificationFolder(root)).labels.classes).toEqual(['b', 'a', 'z']);
    await writeFile(join(root, 'classes.json'), '["a", "c"]');
    await expect(readClassificationFolder(root)).rejects.toThrow(/case 'c0' has the unknown class 'b'/);
  });
  it('checks splits.json case ids', async () => {
    const root = await dataset(['1', '0']);
    await writeFile(join(root, 'splits.json'), JSON.stringify([{ train: ['c0'], val: ['c1'] }]));
    expect((await readClassificationFolder(root)).splits).toEqual([{ train: ['c0'], val: ['c1'] }]);
    await writeFile(join(root, 'splits.json'), JSON.stringify([{ train: ['c0'], val: ['c9'] }]));
    await expect(readClassificationFolder(root)).rejects.toThrow(/splits\.json: fold 0 names case 'c9'/);
  });
  it('reads a case as a LabelledCase with the class index as target', async () => {
    const root = await dataset(['b', 'a']);
    const ds = await openClassificationDataset(root, { spacing: [1, 1, 1], cropSize: [4, 4, 4], normalization: 'whole-volume' });
    expect(ds.outputs).toBe(2);
    const c = await ds.read('c0');
    expect(c.shape).toEqual([1, 4, 4, 4]);
    expect([...c.target]).toEqual([1]);
  });
});
