import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTestDataset } from '../../test/support/write-dataset.js';
import { findClassificationInputs } from './predict-classifier.js';

const volume = (size: number) => new Float32Array(size ** 3).fill(1);

describe('findClassificationInputs', () => {
  it('reads a dataset folder (images/ with masks/), a plain folder, or one case file, channels in order', async () => {
    const root = await writeTestDataset([
      { id: 'b', channels: [volume(4), volume(4)], size: 4, label: 'x', mask: new Int8Array(64).fill(1) },
      { id: 'a', channels: [volume(4), volume(4)], size: 4, label: 'y' },
    ]);
    const inputs = await findClassificationInputs(root, 2);
    expect(inputs.map((i) => i.id)).toEqual(['a', 'b']);
    expect(inputs[1]).toEqual({ id: 'b', files: ['b_0000', 'b_0001'].map((n) => join(root, 'images', `${n}.nii.gz`)), mask: join(root, 'masks', 'b.nii.gz') });
    expect(inputs[0]!.mask).toBeUndefined();
    expect((await findClassificationInputs(join(root, 'images'), 2)).map((i) => i.id)).toEqual(['a', 'b']);
    const one = await findClassificationInputs(join(root, 'images', 'b_0000.nii.gz'), 2);
    expect(one.map((i) => [i.id, i.files.length])).toEqual([['b', 2]]);
  });

  it('refuses a case whose channels are not the model\'s, naming the case and the count', async () => {
    const root = await writeTestDataset([{ id: 'c', channels: [volume(4), volume(4)], size: 4, label: 'x' }]);
    await expect(findClassificationInputs(root, 1)).rejects.toThrow(/case 'c' has channel file\(s\) 0, 1, but the model takes 1 channel/);
    await expect(findClassificationInputs(join(root, 'labels.csv'), 1)).rejects.toThrow(/expected a folder or a <case>_0000.nii.gz file/);
  });
});
