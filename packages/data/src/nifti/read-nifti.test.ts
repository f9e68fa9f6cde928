import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createNiftiImage } from './create-nifti-image.js';
import { rowMajorView } from './nifti-image.js';
import { readNifti, readNiftiHeader } from './read-nifti.js';
import { encodeNifti } from './write-nifti.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-nifti-read-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VALUES = Float32Array.from({ length: 24 }, (_, i) => i * 1.5 - 3);

function bytes(): { header: Buffer; voxels: Buffer } {
  const [header, voxels] = encodeNifti(createNiftiImage(VALUES, [2, 3, 4], { spacing: [0.5, 1, 2] }));
  return { header: Buffer.from(header!), voxels: Buffer.from(voxels!) };
}

function put(name: string, data: Uint8Array): string {
  const file = join(work, name);
  writeFileSync(file, data);
  return file;
}

describe('readNifti', () => {
  describe('having unusual but valid files', () => {
    it('should read the voxels right after the header when a writer left vox_offset 0', async () => {
      const { header, voxels } = bytes();
      header.writeFloatLE(0, 108);
      const img = await readNifti(put('offset0.nii', Buffer.concat([header, voxels])));
      expect(Array.from(img.data)).toEqual(Array.from(VALUES));
    });

    it('should skip header extensions up to vox_offset, also inside a gzip stream', async () => {
      const { header, voxels } = bytes();
      header.writeFloatLE(352 + 48, 108);
      header[348] = 1; // extension flag
      const extension = Buffer.alloc(48);
      extension.writeInt32LE(48, 0);
      extension.writeInt32LE(6, 4); // comment extension
      extension.write('synthetic comment', 8, 'latin1');
      const file = Buffer.concat([header, extension, voxels]);
      expect(Array.from((await readNifti(put('ext.nii', file))).data)).toEqual(Array.from(VALUES));
      expect(Array.from((await readNifti(put('ext.nii.gz', gzipSync(file)))).data)).toEqual(Array.from(VALUES));
    });

    it('should warn about bytes after the voxels', async () => {
      const { header, voxels } = bytes();
      const img = await readNifti(put('trailing.nii', Buffer.concat([header, voxels, Buffer.alloc(10)])));
      expect(img.warnings).toEqual(['10 bytes after the voxel data were ignored']);
    });

    it('should repair pixdim as nibabel does, and say so', async () => {
      const { header, voxels } = bytes();
      header.writeFloatLE(-0.5, 80); // pixdim[1]
      header.writeFloatLE(0, 84); // pixdim[2]
      header.writeFloatLE(0.7, 76); // pixdim[0] (qfac)
      header.writeInt16LE(0, 254); // sform_code 0: the base affine uses pixdim
      const img = await readNifti(put('pixdim.nii', Buffer.concat([header, voxels])));
      expect(img.spacing).toEqual([0.5, 1, 2]);
      expect(img.affineSource).toBe('base');
      expect(img.affine[0]![0]).toBe(-0.5);
      expect(img.warnings).toEqual(['pixdim[1] was negative (-0.5); using 0.5', 'pixdim[2] was 0; using 1', 'pixdim[0] (qfac) was 0.699999988079071; using 1']);
    });

    it('should be gzip-detected by content, not by name', async () => {
      const { header, voxels } = bytes();
      const img = await readNifti(put('misnamed.nii', gzipSync(Buffer.concat([header, voxels]))));
      expect(Array.from(img.data)).toEqual(Array.from(VALUES));
      expect((await readNiftiHeader(join(work, 'misnamed.nii'))).compressed).toBe(true);
    });
  });

  it('should offer the row-major view [Z, Y, X] of the same buffer', async () => {
    const { header, voxels } = bytes();
    const img = await readNifti(put('view.nii', Buffer.concat([header, voxels])));
    const view = rowMajorView(img);
    expect(view.shape).toEqual([4, 3, 2]);
    expect(view.spacing).toEqual([2, 1, 0.5]);
    expect(view.data).toBe(img.data);
    // Element [z=1, y=2, x=1] of the row-major view is voxel (1, 2, 1).
    expect(view.data[1 * 6 + 2 * 2 + 1]).toBe(VALUES[1 + 2 * 2 + 1 * 6]);
  });
});
