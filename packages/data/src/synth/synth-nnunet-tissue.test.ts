import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/read-nifti.js';
import { generateTissueDataset } from './synth-nnunet-tissue.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-tissue-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('generateTissueDataset', () => {
  it('should write two channels on the label grid and labels 0–4 with a lesion in every case, the same for a seed', async () => {
    const m = await generateTissueDataset({ out: join(work, 'a'), cases: 2, seed: 3, sizeMm: 24 });
    const json = JSON.parse(readFileSync(join(m.dir, 'dataset.json'), 'utf8'));
    expect(json).toMatchObject({ channel_names: { '0': 'T1w', '1': 'FLAIR' }, labels: { background: 0, csf: 1, grey_matter: 2, white_matter: 3, lesion: 4 }, numTraining: 2 });
    for (const c of m.cases) {
      const [t1, flair] = [await readNifti(c.images[0]), await readNifti(c.images[1])];
      const lab = await readNifti(c.label);
      expect(flair.shape).toEqual(t1.shape);
      expect(lab.affine).toEqual(t1.affine);
      expect([...new Set(lab.data)].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(c.voxelsPerLabel[4]).toBeGreaterThan(0);
      // T1w: white matter brighter than CSF; the two channels are different contrasts of one phantom.
      const mean = (img: Float32Array | ArrayLike<number>, l: number) => {
        let s = 0;
        let n = 0;
        for (let i = 0; i < lab.data.length; i++) if (lab.data[i] === l) (s += img[i]!), n++;
        return s / n;
      };
      expect(mean(t1.data, 3)).toBeGreaterThan(mean(t1.data, 1));
      expect(mean(flair.data, 4)).toBeGreaterThan(mean(flair.data, 1));
    }
    const again = await generateTissueDataset({ out: join(work, 'b'), cases: 1, seed: 3, sizeMm: 24 });
    expect(Array.from((await readNifti(again.cases[0]!.images[1])).data)).toEqual(Array.from((await readNifti(m.cases[0]!.images[1])).data));
  });
});
