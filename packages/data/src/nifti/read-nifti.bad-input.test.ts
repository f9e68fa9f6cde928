import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createNiftiImage } from './create-nifti-image.js';
import { encodeNifti } from './write-nifti.js';
import { readNifti, readNiftiHeader } from './read-nifti.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-nifti-bad-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bytes of a valid 4×4×4 float32 .nii with a smooth ramp of values. */
function validNii(): Buffer {
  const data = Float32Array.from({ length: 64 }, (_, i) => i * 0.5);
  return Buffer.concat(encodeNifti(createNiftiImage(data, [4, 4, 4])));
}

function put(name: string, bytes: Uint8Array): string {
  const file = join(work, name);
  writeFileSync(file, bytes);
  return file;
}

async function failure(file: string, options?: Parameters<typeof readNifti>[1]): Promise<OpenMindError> {
  try {
    await readNifti(file, options);
  } catch (err) {
    expect(err).toBeInstanceOf(OpenMindError);
    expect((err as Error).message).toContain(`"${file}"`);
    return err as OpenMindError;
  }
  throw new Error(`reading ${file} should have failed`);
}

describe('readNifti', () => {
  describe('having bad input', () => {
    it('should name an empty file', async () => {
      const err = await failure(put('empty.nii', new Uint8Array(0)));
      expect(err.message).toMatch(/the file is empty/);
    });

    it('should name an empty gzip stream', async () => {
      const err = await failure(put('empty.nii.gz', gzipSync(Buffer.alloc(0))));
      expect(err.message).toMatch(/decompresses to 0 bytes/);
    });

    it('should report a header cut short', async () => {
      const err = await failure(put('short-header.nii', validNii().subarray(0, 200)));
      expect(err.message).toMatch(/truncated: it has 200 bytes, a NIfTI-1 header needs 348/);
    });

    it('should report truncated voxel data with the sizes involved', async () => {
      const err = await failure(put('truncated.nii', validNii().subarray(0, 352 + 100)));
      expect(err.message).toMatch(/dim \[4, 4, 4\] of float32 needs 256 bytes of voxel data after offset 352, but the file has only 100/);
    });

    it('should report a truncated gzip stream', async () => {
      const gz = gzipSync(validNii());
      const err = await failure(put('truncated.nii.gz', gz.subarray(0, Math.floor(gz.length / 2))));
      expect(err.message).toMatch(/the gzip stream is truncated \(zlib: unexpected end of file\)/);
    });

    it('should report corrupt gzip data', async () => {
      const gz = Buffer.from(gzipSync(validNii()));
      // Damage the deflate stream past the gzip header; the CRC or the block structure then fails.
      for (let i = 20; i < gz.length - 8; i += 3) gz[i] = gz[i]! ^ 0x5a;
      const err = await failure(put('corrupt.nii.gz', gz));
      expect(err.message).toMatch(/gzip data is corrupt \(zlib: /);
    });

    it('should report a wrong magic string', async () => {
      const bytes = validNii();
      bytes.write('abc\0', 344, 'latin1');
      const err = await failure(put('magic.nii', bytes));
      expect(err.message).toMatch(/magic must be "n\+1" for a NIfTI-1 file, but got "abc"/);
    });

    it('should refuse a .hdr/.img pair header with a hint', async () => {
      const bytes = validNii();
      bytes.write('ni1\0', 344, 'latin1');
      const err = await failure(put('pair.nii', bytes));
      expect(err.message).toMatch(/\.hdr\/\.img pair/);
      expect(err.message).toMatch(/\nHint: /);
    });

    it('should report a file that is not NIfTI at all', async () => {
      const err = await failure(put('text.nii', Buffer.from('this is a text file, not an image\n'.repeat(20))));
      expect(err.message).toMatch(/sizeof_hdr must be 348 \(NIfTI-1\) or 540 \(NIfTI-2\)/);
    });

    it('should report dimensions that disagree with the file size', async () => {
      const bytes = validNii();
      bytes.writeInt16LE(40, 42); // dim[1] 4 -> 40: the header now wants ten times the voxels present
      const err = await failure(put('dims.nii', bytes));
      expect(err.message).toMatch(/dim \[40, 4, 4\] of float32 needs 2560 bytes .* but the file has only 256/);
      const errGz = await failure(put('dims.nii.gz', gzipSync(bytes)));
      expect(errGz.message).toMatch(/needs 2560 bytes .* but the decompressed stream has only 256/);
    });

    it('should report an out-of-range dim[0]', async () => {
      const bytes = validNii();
      bytes.writeInt16LE(9, 40);
      const err = await failure(put('ndim.nii', bytes));
      expect(err.message).toMatch(/dim\[0\] \(number of dimensions\) must be in 1\.\.7, but got 9/);
    });

    it.each([
      [128, 'RGB24 (128)'],
      [32, 'complex64 (32)'],
      [1024, 'int64 (1024)'],
      [77, 'unknown code 77'],
    ])('should refuse unsupported datatype %i naming it', async (code, name) => {
      const bytes = validNii();
      bytes.writeInt16LE(code, 70);
      const err = await failure(put(`dtype-${code}.nii`, bytes));
      expect(err.message).toContain(`datatype ${name} is not supported`);
    });

    describe('having NaN or Inf voxels', () => {
      const bytes = validNii();
      bytes.writeFloatLE(Number.NaN, 352 + 4 * 5); // voxel [1, 1, 0]
      bytes.writeFloatLE(Number.POSITIVE_INFINITY, 352 + 4 * 63);
      const file = put('nonfinite.nii', bytes);

      it('should throw by default, counting them and locating the first', async () => {
        const err = await failure(file);
        expect(err.message).toMatch(/the data has 1 NaN and 1 infinite voxels \(first at voxel \[1, 1, 0\]\)/);
      });

      it("should read with a warning under nonFinite: 'warn'", async () => {
        const img = await readNifti(file, { nonFinite: 'warn' });
        expect(Number.isNaN(img.data[5])).toBe(true);
        expect(img.warnings.join()).toMatch(/1 NaN and 1 infinite/);
      });

      it("should read silently under nonFinite: 'allow'", async () => {
        const img = await readNifti(file, { nonFinite: 'allow' });
        expect(img.data[63]).toBe(Infinity);
        expect(img.warnings).toEqual([]);
      });
    });

    it('should refuse a valid slope with a non-finite intercept', async () => {
      const bytes = validNii();
      bytes.writeFloatLE(2, 112);
      bytes.writeFloatLE(Number.NaN, 116);
      const err = await failure(put('inter.nii', bytes));
      expect(err.message).toMatch(/scl_inter must be finite when scl_slope \(2\) is set, but got NaN/);
    });
  });

  describe('having a header only to read', () => {
    it('should stop after the header of a gzip file and still validate it', async () => {
      const bytes = validNii();
      const gz = gzipSync(bytes);
      // Cut the stream: the header is intact, the voxels are not.
      const info = await readNiftiHeader(put('head-only.nii.gz', gz.subarray(0, gz.length - 12)));
      expect(info.shape).toEqual([4, 4, 4]);
      expect(info.compressed).toBe(true);
    });
  });
});
