import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';

/** A case of a test dataset: its channel volumes (cubic, row-major) and label cells. */
export interface TestCase {
  id: string;
  channels: Float32Array[];
  size: number;
  spacing?: number;
  label: string;
  mask?: Int8Array;
}

/** Writes images/, masks/ and labels.csv for `cases` into a new temporary folder. */
export async function writeTestDataset(cases: readonly TestCase[], header = 'case,label'): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'cls-ds-'));
  await mkdir(join(root, 'images'));
  for (const c of cases) {
    const s = c.size;
    for (const [k, ch] of c.channels.entries()) {
      await writeNifti(join(root, 'images', `${c.id}_${String(k).padStart(4, '0')}.nii.gz`), createNiftiImage(ch, [s, s, s], { spacing: [c.spacing ?? 1, c.spacing ?? 1, c.spacing ?? 1] }));
    }
    if (c.mask) {
      await mkdir(join(root, 'masks'), { recursive: true });
      await writeNifti(join(root, 'masks', `${c.id}.nii.gz`), createNiftiImage(c.mask, [s, s, s], { spacing: [c.spacing ?? 1, c.spacing ?? 1, c.spacing ?? 1] }));
    }
  }
  await writeFile(join(root, 'labels.csv'), [header, ...cases.map((c) => `${c.id},${c.label}`)].join('\n') + '\n');
  return root;
}
