import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createNiftiImage } from './create-nifti-image.js';
import { decodeNifti, decodeNiftiAsync } from './decode-nifti.js';
import { readNifti } from './read-nifti.js';
import { writeNifti } from './write-nifti.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-nifti-decode-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const affine = [[-1.5, 0, 0, 20], [0, 1, 0, -10], [0, 0, 2, 5], [0, 0, 0, 1]];

async function written(name: string, data: Float32Array | Int16Array, littleEndian = true): Promise<Uint8Array> {
  const file = join(work, name);
  const image = createNiftiImage(data, [5, 4, 3], { affine });
  await writeNifti(file, image, { littleEndian });
  return new Uint8Array(readFileSync(file));
}

describe('decodeNiftiAsync (in-memory NIfTI, no Node API)', () => {
  it.each([
    ['plain little-endian float32', 'a.nii', true],
    ['gzip little-endian float32', 'a.nii.gz', true],
    ['gzip big-endian float32', 'b.nii.gz', false],
  ])('gives readNifti\'s image for a %s file', async (_, name, le) => {
    const data = Float32Array.from({ length: 60 }, (_, i) => (i * 37 % 60) - 7.25);
    const bytes = await written(name, data, le);
    expect(new DataView((name.endsWith('.gz') ? gunzipSync(bytes) : bytes).buffer).getInt32(0, le)).toBe(348);
    const fromFile = await readNifti(join(work, name));
    const fromBytes = await decodeNiftiAsync(bytes, name);
    expect(fromBytes.shape).toEqual(fromFile.shape);
    expect(fromBytes.affine).toEqual(fromFile.affine);
    expect(fromBytes.spacing).toEqual(fromFile.spacing);
    expect(Array.from(fromBytes.data)).toEqual(Array.from(data));
  });

  it('leaves the caller\'s bytes untouched when it swaps a big-endian volume', async () => {
    const bytes = await written('c.nii', Int16Array.from({ length: 60 }, (_, i) => i * 300 - 9000), false);
    const copy = bytes.slice();
    const img = decodeNifti(bytes, 'c.nii');
    expect(Array.from(img.data)).toEqual(Array.from({ length: 60 }, (_, i) => i * 300 - 9000));
    expect(bytes).toEqual(copy);
  });

  it('refuses a file that is not NIfTI, naming it', async () => {
    await expect(decodeNiftiAsync(new TextEncoder().encode('this is a PNG, honestly, not a volume at all'.repeat(10)), 'scan.png'))
      .rejects.toThrow(/NIfTI "scan\.png": sizeof_hdr must be 348[^]*not a NIfTI file/);
  });

  it('refuses a truncated gzip stream and a truncated volume', async () => {
    const bytes = await written('d.nii.gz', new Float32Array(60).fill(1));
    await expect(decodeNiftiAsync(bytes.subarray(0, bytes.length - 12), 'd.nii.gz')).rejects.toThrow(/NIfTI "d\.nii\.gz": .*(gzip|truncated)/);
    const plain = await written('e.nii', new Float32Array(60).fill(1));
    await expect(decodeNiftiAsync(gzipSync(plain.subarray(0, plain.length - 40)), 'e.nii.gz')).rejects.toThrow(/NIfTI "e\.nii\.gz": the file is truncated/);
  });

  it('sends a gzip file to the async decoder', () => {
    expect(() => decodeNifti(gzipSync(new Uint8Array(400)), 'f.nii.gz')).toThrow(/gzip-compressed.*\n?.*decodeNiftiAsync/s);
  });
});
