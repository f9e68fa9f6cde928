import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateFolder } from './evaluate-folder.js';
import { parseNnunetJson, toNnunetJson } from './summary-json.js';

const script = new URL('../../test/fixtures/nnunet_evaluate.py', import.meta.url).pathname;
const shape = [12, 10, 8]; // x, y, z
const spacing = [0.8, 1, 2.5];

/** A label map (x fastest) painted by `at(x, y, z)`. */
function paint(at: (x: number, y: number, z: number) => number): Uint8Array {
  const out = new Uint8Array(shape[0]! * shape[1]! * shape[2]!);
  let v = 0;
  for (let z = 0; z < shape[2]!; z++) for (let y = 0; y < shape[1]!; y++) for (let x = 0; x < shape[0]!; x++) out[v++] = at(x, y, z);
  return out;
}
const ball = (cx: number, cy: number, cz: number, r: number) => (x: number, y: number, z: number) =>
  ((x - cx) * spacing[0]!) ** 2 + ((y - cy) * spacing[1]!) ** 2 + ((z - cz) * spacing[2]!) ** 2 <= r * r;

// case_a: labels 1 and 2 overlap partly, an ignore region (3) where the prediction says 1;
// case_b: label 2 empty in reference and prediction (Dice NaN); case_c: label 2 only in the prediction (Dice 0).
const cases: Record<string, { ref: Uint8Array; pred: Uint8Array }> = {
  case_a: {
    ref: paint((x, y, z) => (ball(5, 5, 3, 3)(x, y, z) ? 1 : x >= 9 && y < 4 ? 2 : x < 2 && y > 7 ? 3 : 0)),
    pred: paint((x, y, z) => (ball(7, 5, 3, 3.4)(x, y, z) || (x < 2 && y > 7) ? 1 : x >= 8 && y < 3 ? 2 : 0)),
  },
  case_b: {
    ref: paint((x, y, z) => (ball(4, 4, 4, 2.5)(x, y, z) ? 1 : 0)),
    pred: paint((x, y, z) => (ball(4, 5, 4, 2.5)(x, y, z) ? 1 : 0)),
  },
  case_c: {
    ref: paint((x, y, z) => (ball(6, 6, 2, 2)(x, y, z) ? 1 : 0)),
    pred: paint((x, y, z) => (ball(6, 6, 2, 2)(x, y, z) ? 1 : x === 0 && z === 7 ? 2 : 0)),
  },
};

let predDir: string;
let refDir: string;
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-seg-eval-'));
  predDir = join(root, 'pred');
  refDir = join(root, 'ref');
  mkdirSync(predDir);
  mkdirSync(refDir);
  const affine = [[-spacing[0]!, 0, 0, 10], [0, spacing[1]!, 0, -5], [0, 0, spacing[2]!, 3], [0, 0, 0, 1]];
  for (const [name, c] of Object.entries(cases)) {
    await writeNifti(join(refDir, `${name}.nii.gz`), createNiftiImage(c.ref, shape, { affine }));
    await writeNifti(join(predDir, `${name}.nii.gz`), createNiftiImage(c.pred, shape, { affine }));
  }
});

describe('evaluateFolder', () => {
  it('should follow nnU-Net: NaN for an empty/empty label, 0 for an empty reference, means ignoring NaN', async () => {
    const s = await evaluateFolder(predDir, refDir, { ignoreLabel: 3 });
    const [a, b, c] = s.metric_per_case;
    expect(Object.keys(s.mean)).toEqual(['1', '2']);
    expect(b!.metrics['2']!.Dice).toBeNaN();
    expect(b!.metrics['2']!.NSD).toBeNaN();
    expect(c!.metrics['2']!.Dice).toBe(0);
    expect(c!.metrics['2']!.n_pred).toBe(shape[1]);
    // The ignored voxels (ref 3) count nowhere, though the prediction says 1 there.
    expect(a!.metrics['1']!.TP + a!.metrics['1']!.FP + a!.metrics['1']!.FN + a!.metrics['1']!.TN).toBe(shape[0]! * shape[1]! * shape[2]! - 2 * 2 * 8);
    expect(s.mean['2']!.Dice).toBeCloseTo((a!.metrics['2']!.Dice + 0) / 2, 12);
    expect(s.foreground_mean['Dice']).toBeCloseTo((s.mean['1']!.Dice + s.mean['2']!.Dice) / 2, 12);
  });

  it('should name the references without a prediction', async () => {
    const lonely = mkdtempSync(join(tmpdir(), 'om-seg-eval-missing-'));
    await expect(evaluateFolder(lonely, refDir)).rejects.toThrow(/3 of 3 reference case\(s\) have no prediction .*case_a\.nii\.gz, case_b\.nii\.gz, case_c\.nii\.gz/);
  });

  it('should name a prediction on another grid', async () => {
    const other = mkdtempSync(join(tmpdir(), 'om-seg-eval-grid-'));
    for (const name of Object.keys(cases)) await writeNifti(join(other, `${name}.nii.gz`), createNiftiImage(new Uint8Array(8 * 8 * 8), [8, 8, 8]));
    await expect(evaluateFolder(other, refDir)).rejects.toThrow(/case_a\.nii\.gz" has shape \[8, 8, 8\], but its reference .* has \[12, 10, 8\]/);
  });
});

describe('toNnunetJson', () => {
  it('should sort keys and write NaN as Python does, and read it back', () => {
    const text = toNnunetJson({ b: NaN, a: [1, -Infinity], 'c"NaN': 0.5 });
    expect(text).toBe('{\n    "a": [\n        1,\n        -Infinity\n    ],\n    "b": NaN,\n    "c\\"NaN": 0.5\n}\n');
    expect(parseNnunetJson(text)).toEqual({ a: [1, -Infinity], b: NaN, 'c"NaN': 0.5 });
  });
});

const python = requirePython(['nibabel', 'numpy', 'scipy']);

describe.skipIf(!python)('evaluateFolder against a Python implementation of nnU-Net\'s rules', () => {
  it.each([
    ['auto', 3],
    ['1,2', null],
    ['1,2,4', 3],
  ] as const)('should give every number of summary.json (labels %s, ignore %s)', async (labels, ignore) => {
    const ours = await evaluateFolder(predDir, refDir, { ignoreLabel: ignore, ...(labels === 'auto' ? {} : { labels: labels.split(',').map(Number) }) });
    const file = join(mkdtempSync(join(tmpdir(), 'om-seg-sum-')), 'summary.json');
    writeFileSync(file, toNnunetJson(ours));
    // Our file, read by Python's json, against the Python evaluation: every field, NaN where NaN.
    const verdict = runPython(['-c', `
import json, math, subprocess, sys
ours = json.load(open(${JSON.stringify(file)}))
ref = json.loads(subprocess.check_output([sys.executable, ${JSON.stringify(script)}, ${JSON.stringify(predDir)}, ${JSON.stringify(refDir)}, ${JSON.stringify(labels)}, ${JSON.stringify(ignore === null ? 'none' : String(ignore))}]))
bad = []
def cmp(a, b, path):
    if isinstance(b, dict):
        if sorted(a) != sorted(b): bad.append(f'{path}: keys {sorted(a)} != {sorted(b)}')
        else: [cmp(a[k], b[k], f'{path}.{k}') for k in b]
    elif isinstance(b, list): [cmp(x, y, f'{path}[{i}]') for i, (x, y) in enumerate(zip(a, b))]
    elif isinstance(b, float) and math.isnan(b):
        if not (isinstance(a, float) and math.isnan(a)): bad.append(f'{path}: {a} != NaN')
    elif isinstance(b, (int, float)):
        if abs(a - b) > 1e-12 * max(1, abs(b)): bad.append(f'{path}: {a} != {b}')
    elif a != b: bad.append(f'{path}: {a} != {b}')
cmp(ours, ref, 'summary')
print(json.dumps(bad[:10]))
`]);
    expect(JSON.parse(verdict)).toEqual([]);
  });
});
