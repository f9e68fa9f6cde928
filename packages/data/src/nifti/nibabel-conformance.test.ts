import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirePython, runPython, systemPython } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NiftiTypedArray } from './dtypes.js';
import { createNiftiImage } from './create-nifti-image.js';
import { encodeVoxels } from './decode-voxels.js';
import { encodeNiftiHeader } from './encode-header.js';
import type { NiftiHeader } from './header.js';
import { readNifti } from './read-nifti.js';
import { writeNifti } from './write-nifti.js';

// Runs where Debian's python3-nibabel is installed (.ci/install-system); elsewhere it is skipped, saying why.
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../tools/nibabel_reference.py');
const available = { ok: requirePython(['nibabel', 'numpy']) };

interface Reference {
  file: string;
  ok: boolean;
  error?: string;
  shape: number[];
  dtype: string;
  spacing: number[];
  affine: number[][];
  orientation: string;
  raw_sha256: string;
  scaled: { sum: number; min: number | null; max: number | null; weighted: number; nan: number; inf: number };
  version: 1 | 2;
  canonical: { shape: number[]; affine: number[][]; raw_sha256: string };
}

function describeWithNibabel(files: readonly string[]): Reference[] {
  return JSON.parse(runPython([SCRIPT, 'describe', ...files])) as Reference[];
}

function sha256(data: NiftiTypedArray): string {
  // Host order is little-endian on every platform Node supports, which is the order the script hashes.
  return createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');
}

function stats(data: NiftiTypedArray) {
  let sum = 0;
  let weighted = 0;
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else {
      sum += v;
      weighted += v * ((i % 9973) + 1);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { sum, weighted, min, max, nan, inf };
}

function expectClose(actual: number, expected: number, rel: number, what: string): void {
  const tol = rel * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

function expectAffineClose(actual: number[][], expected: number[][], tol = 1e-5): void {
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      expect(Math.abs(actual[r]![c]! - expected[r]![c]!), `affine[${r}][${c}] ${actual[r]![c]} vs ${expected[r]![c]}`).toBeLessThanOrEqual(tol);
    }
  }
}

describe.skipIf(!available.ok)('readNifti vs nibabel', () => {
  const listing = available.ok
    ? (JSON.parse(runPython([SCRIPT, 'list'])) as { nibabel: string; folder: string; files: string[] })
    : { nibabel: '', folder: '', files: [] };
  const refs = available.ok ? describeWithNibabel(listing.files) : [];
  const skipped: { file: string; reason: string }[] = [];
  for (const r of refs) if (!r.ok) skipped.push({ file: basename(r.file), reason: `nibabel cannot read it (${r.error})` });
  const readable = refs.filter((r) => r.ok);
  const work = mkdtempSync(join(tmpdir(), 'openmind-nifti-conf-'));
  // Every round-trip file is written first, so nibabel starts once for all of them.
  const roundTrips = new Map<string, Reference[]>();
  beforeAll(async () => {
    const written: [string, string][] = [];
    for (const ref of readable) {
      const img = await readNifti(ref.file, { nonFinite: 'allow' });
      const stem = basename(ref.file).replace(/\.nii(\.gz)?$/, '');
      const outs = [join(work, `${stem}.rt.nii.gz`), join(work, `${stem}.rt-be.nii`), join(work, `${stem}.rt-v2.nii.gz`)];
      await writeNifti(outs[0]!, img);
      await writeNifti(outs[1]!, img, { littleEndian: false });
      await writeNifti(outs[2]!, img, { version: 2 });
      for (const o of outs) written.push([ref.file, o]);
    }
    const described = written.length ? describeWithNibabel(written.map(([, o]) => o)) : [];
    described.forEach((d, i) => {
      const source = written[i]![0];
      roundTrips.set(source, [...(roundTrips.get(source) ?? []), d]);
    });
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    console.info(
      `nibabel ${listing.nibabel} (${systemPython()}), ${listing.folder}: ${readable.length} files compared` +
        (skipped.length ? `; skipped:\n${skipped.map((s) => `  ${s.file}: ${s.reason}`).join('\n')}` : '; none skipped'),
    );
  });

  it('should find the NIfTI files of nibabel test data', () => {
    expect(listing.files.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(readable.map((r) => [basename(r.file), r] as const))('%s', (_name, ref) => {
    it('should match shape, datatype, spacing, affine and orientation', async () => {
      const img = await readNifti(ref.file, { nonFinite: 'allow', scale: false });
      expect(img.shape).toEqual(ref.shape);
      expect(img.dtype).toBe(ref.dtype);
      expect(img.header.version).toBe(ref.version);
      expect(img.spacing.length).toBe(ref.spacing.length);
      img.spacing.forEach((s, i) => expectClose(s, ref.spacing[i]!, 1e-6, `spacing[${i}]`));
      expectAffineClose(img.affine, ref.affine);
      expect(img.orientation).toBe(ref.orientation);
    });

    it('should read the stored voxels bit for bit (SHA-256)', async () => {
      const img = await readNifti(ref.file, { nonFinite: 'allow', scale: false });
      expect(sha256(img.data)).toBe(ref.raw_sha256);
    });

    it('should reorient to RAS+ like nib.as_closest_canonical (shape, affine, voxels bit for bit)', async () => {
      const img = await readNifti(ref.file, { nonFinite: 'allow', scale: false, reorient: true });
      expect(img.shape).toEqual(ref.canonical.shape);
      expectAffineClose(img.affine, ref.canonical.affine);
      expect(sha256(img.data)).toBe(ref.canonical.raw_sha256);
      expect(img.orientation).toBe('RAS');
    });

    it('should scale voxels like nibabel (sum, weighted sum, min, max within 1e-6 relative; same NaN/Inf count)', async () => {
      const img = await readNifti(ref.file, { nonFinite: 'allow' });
      const s = stats(img.data);
      expect(s.nan).toBe(ref.scaled.nan);
      expect(s.inf).toBe(ref.scaled.inf);
      expectClose(s.sum, ref.scaled.sum, 1e-6, 'sum');
      expectClose(s.weighted, ref.scaled.weighted, 1e-6, 'weighted sum');
      if (ref.scaled.min !== null) expectClose(s.min, ref.scaled.min, 1e-6, 'min');
      if (ref.scaled.max !== null) expectClose(s.max, ref.scaled.max, 1e-6, 'max');
    });

    it('should write files that nibabel reads with the same values and affine (.nii.gz LE, .nii BE, NIfTI-2)', async () => {
      const img = await readNifti(ref.file, { nonFinite: 'allow' });
      const back = roundTrips.get(ref.file)!;
      expect(back).toHaveLength(3);
      for (const b of back) {
        expect(b.ok, `${b.file}: ${b.error}`).toBe(true);
        expect(b.shape).toEqual(ref.shape);
        expect(b.dtype).toBe(img.dtype);
        expectAffineClose(b.affine, ref.affine);
        expect(b.raw_sha256).toBe(sha256(img.data));
        const ours = await readNifti(b.file, { nonFinite: 'allow' });
        expect(sha256(ours.data)).toBe(sha256(img.data));
        expectAffineClose(ours.affine, img.affine);
      }
      // The version read is kept unless another is asked for.
      expect(back.map((b) => b.version)).toEqual([img.header.version, img.header.version, 2]);
    });
  });
});

/** Headers whose geometry fields are set by hand, to pin the affine rules to nibabel's. */
function variantFiles(dir: string): { name: string; file: string }[] {
  const cases: { name: string; edit: (h: NiftiHeader) => void }[] = [
    { name: 'qform-only-qfac-minus1', edit: (h) => Object.assign(h, { sformCode: 0, qformCode: 1, quaternB: 0.1, quaternC: -0.2, quaternD: 0.3, pixdim: [-1, 2, 3, 4, 1, 1, 1, 1], qoffsetX: 5, qoffsetY: -6, qoffsetZ: 7 }) },
    { name: 'qform-only-qfac-0', edit: (h) => Object.assign(h, { sformCode: 0, qformCode: 2, quaternB: 0, quaternC: 0, quaternD: 1, pixdim: [0, 1.5, 1.5, 3, 1, 1, 1, 1] }) },
    { name: 'no-xform-base-affine', edit: (h) => Object.assign(h, { sformCode: 0, qformCode: 0, pixdim: [1, 2, 3, 4, 1, 1, 1, 1] }) },
    { name: 'negative-and-zero-pixdim', edit: (h) => Object.assign(h, { sformCode: 0, qformCode: 1, quaternB: 0, quaternC: 1, quaternD: 0, pixdim: [1, -2, 0, 4, 1, 1, 1, 1] }) },
    { name: 'sform-wins-over-qform', edit: (h) => Object.assign(h, { sformCode: 4, qformCode: 1, quaternB: 0, quaternC: 0, quaternD: 0, srowX: [0, 0, -2, 10], srowY: [3, 0, 0, -20], srowZ: [0, 1.5, 0.2, 30] }) },
    { name: 'unknown-sform-code', edit: (h) => Object.assign(h, { sformCode: 9, qformCode: 1, quaternB: 0.5, quaternC: 0.5, quaternD: 0.5 }) },
    { name: 'quaternion-at-180-degrees', edit: (h) => Object.assign(h, { sformCode: 0, qformCode: 1, quaternB: 1, quaternC: 0, quaternD: 0 }) },
  ];
  const out: { name: string; file: string }[] = [];
  for (const c of cases) {
    for (const [version, littleEndian] of [[1, true], [2, false]] as const) {
      const data = Int16Array.from({ length: 4 * 3 * 2 }, (_, i) => i - 7);
      const base = createNiftiImage(data, [4, 3, 2]);
      const header: NiftiHeader = { ...base.header, version, littleEndian, magic: version === 1 ? 'n+1' : 'n+2' };
      c.edit(header);
      const file = join(dir, `${c.name}-v${version}${littleEndian ? '' : '-be'}.nii`);
      writeFileSync(file, Buffer.concat([encodeNiftiHeader(header), encodeVoxels(data, littleEndian)]));
      out.push({ name: `${c.name} (NIfTI-${version}${littleEndian ? '' : ', big-endian'})`, file });
    }
  }
  return out;
}

describe.skipIf(!available.ok)('readNifti vs nibabel on hand-made headers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openmind-nifti-variants-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = available.ok ? variantFiles(dir) : [];
  const refs = available.ok ? describeWithNibabel(files.map((f) => f.file)) : [];

  it.each(files.map((f, i) => [f.name, f.file, refs[i]!] as const))('%s: should give nibabel\'s affine, spacing and orientation', async (_n, file, ref) => {
    expect(ref.ok, ref.error).toBe(true);
    const img = await readNifti(file);
    expect(img.shape).toEqual(ref.shape);
    expectAffineClose(img.affine, ref.affine);
    img.spacing.forEach((s, i) => expectClose(s, ref.spacing[i]!, 1e-6, `spacing[${i}]`));
    expect(img.orientation).toBe(ref.orientation);
    const canon = await readNifti(file, { reorient: true, scale: false });
    expectAffineClose(canon.affine, ref.canonical.affine);
    expect(sha256(canon.data)).toBe(ref.canonical.raw_sha256);
  });
});

