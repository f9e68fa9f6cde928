import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';

/** One hand-made case: NIfTI-order shape [X, Y, Z], channels and labels in x-fastest order. */
export interface TestCase {
  id: string;
  channels: Float32Array[];
  label: Uint8Array;
}

/** Options of {@link writeTestDataset}. */
export interface TestDatasetOptions {
  /** NIfTI shape [X, Y, Z]. Default [12, 10, 8]. */
  shape?: [number, number, number];
  spacing?: [number, number, number];
  cases?: number;
  channels?: number;
  /** Foreground classes (labels 1..n). Default 1. */
  classes?: number;
  ignore?: boolean;
  seed?: number;
}

/** Synthetic cases for tests: a noisy head-like block in a zero border and a sphere per class. */
export function makeTestCases(options: TestDatasetOptions = {}): TestCase[] {
  const [X, Y, Z] = options.shape ?? [12, 10, 8];
  const rng = new Rng(options.seed ?? 1);
  const out: TestCase[] = [];
  for (let n = 0; n < (options.cases ?? 3); n++) {
    const label = new Uint8Array(X * Y * Z);
    const channels = Array.from({ length: options.channels ?? 1 }, () => new Float32Array(X * Y * Z));
    const classes = options.classes ?? 1;
    const centres = Array.from({ length: classes }, () => [rng.uniformIn(3, X - 3), rng.uniformIn(3, Y - 3), rng.uniformIn(2, Z - 2)]);
    for (let z = 0; z < Z; z++) {
      for (let y = 0; y < Y; y++) {
        for (let x = 0; x < X; x++) {
          const i = x + X * (y + Y * z);
          const inside = x >= 1 && x < X - 1 && y >= 1 && y < Y - 1 && z >= 1 && z < Z - 1;
          if (!inside) continue;
          centres.forEach((c, k) => {
            if ((x - c[0]!) ** 2 + (y - c[1]!) ** 2 + (z - c[2]!) ** 2 <= 4) label[i] = k + 1;
          });
          if (options.ignore && x === 1) label[i] = classes + 1;
          channels.forEach((ch, c) => {
            ch[i] = 100 + 50 * c + 40 * (label[i] ?? 0) + rng.normal(0, 5);
          });
        }
      }
    }
    out.push({ id: `case_${String(n).padStart(3, '0')}`, channels, label });
  }
  return out;
}

/** Writes `cases` as an nnU-Net v2 raw dataset into a fresh temp folder and returns the folder. */
export async function writeTestDataset(options: TestDatasetOptions = {}, cases = makeTestCases(options)): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'seg-data-'));
  await mkdir(join(dir, 'imagesTr'));
  await mkdir(join(dir, 'labelsTr'));
  const shape = options.shape ?? [12, 10, 8];
  const spacing = options.spacing ?? [1, 1, 1];
  for (const c of cases) {
    for (const [k, ch] of c.channels.entries()) {
      await writeNifti(join(dir, 'imagesTr', `${c.id}_${String(k).padStart(4, '0')}.nii.gz`), createNiftiImage(ch, shape, { spacing }));
    }
    await writeNifti(join(dir, 'labelsTr', `${c.id}.nii.gz`), createNiftiImage(c.label, shape, { spacing }));
  }
  const classes = options.classes ?? 1;
  const labels: Record<string, number> = { background: 0 };
  for (let k = 1; k <= classes; k++) labels[`class${k}`] = k;
  if (options.ignore) labels['ignore'] = classes + 1;
  const channelNames = Object.fromEntries(Array.from({ length: options.channels ?? 1 }, (_, k) => [String(k), `MR${k}`]));
  await writeFile(join(dir, 'dataset.json'), JSON.stringify({ channel_names: channelNames, labels, numTraining: cases.length, file_ending: '.nii.gz' }));
  return dir;
}
