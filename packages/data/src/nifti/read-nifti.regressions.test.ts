import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import { parserOutcome } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createNiftiImage } from './create-nifti-image.js';
import { encodeNifti } from './write-nifti.js';
import { readNifti, readNiftiHeader } from './read-nifti.js';

// Inputs the fuzz test (read-nifti.fuzz.test.ts) and the new-user trial found, kept as fixed cases.
const work = mkdtempSync(join(tmpdir(), 'openmind-nifti-regress-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function nii(version: 1 | 2): Buffer {
  return Buffer.concat(encodeNifti(createNiftiImage(Float32Array.from({ length: 8 }, (_, i) => i), [2, 2, 2]), { version }));
}

function put(name: string, bytes: Uint8Array): string {
  const file = join(work, name);
  writeFileSync(file, bytes);
  return file;
}

async function message(file: string, read: (f: string) => Promise<unknown> = readNifti): Promise<string> {
  const err = await read(file).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenMindError);
  expect((err as Error).message).toContain(`"${file}"`);
  return (err as Error).message;
}

describe('readNifti regressions', () => {
  it('names a missing file in one line instead of an ENOENT stack (openmind data info missing.nii.gz)', async () => {
    const file = join(work, 'missing.nii.gz');
    expect(await message(file, readNiftiHeader)).toBe(`NIfTI "${file}": the file does not exist.`);
  });

  it('says a directory is not a NIfTI file', async () => {
    const dir = join(work, 'a-folder.nii');
    mkdirSync(dir);
    expect(await message(dir)).toMatch(/is a directory, but a \.nii or \.nii\.gz file is expected/);
  });

  it('refuses a NIfTI-2 file whose bytes after the magic were damaged (fuzz: flip bit 1 of byte 9)', async () => {
    const bytes = nii(2);
    bytes[9]! ^= 2;
    expect(await message(put('eol.nii', bytes))).toMatch(/bytes 8-11 after the NIfTI-2 magic must be 13, 10, 26, 10, but got 13, 8, 26, 10/);
  });

  it('refuses a NaN or infinite voxel size, which nibabel puts into the affine (fuzz, 25,000 cases, seed 1: set pixdim[1] to -Infinity)', async () => {
    for (const [i, value] of [[1, Number.NEGATIVE_INFINITY], [2, Number.POSITIVE_INFINITY], [3, Number.NaN]] as const) {
      const bytes = nii(1);
      bytes.writeFloatLE(value, 76 + 4 * i);
      expect(await message(put(`pixdim-${i}.nii`, bytes))).toMatch(new RegExp(`pixdim\\[${i}\\] \\(a voxel size\\) must be a finite number, but got ${String(value)}`));
    }
  });

  it('refuses bytes after the gzip stream that are neither a gzip member nor zero padding, as nibabel does (fuzz, 25,000 cases, seed 4: append 6 bytes)', async () => {
    const gz = gzipSync(nii(1));
    const padded = put('padded.nii.gz', Buffer.concat([gz, Buffer.alloc(6)]));
    expect((await readNifti(padded)).shape).toEqual([2, 2, 2]);
    // zlib stops at the leading zero and ignores the rest; Python's gzip skips the zeros and refuses the rest.
    const joined = put('joined.nii.gz', Buffer.concat([gz, Buffer.from([0, 0, 0xe7, 0, 1, 2])]));
    expect(await message(joined)).toMatch(new RegExp(`6 bytes after the end of the gzip stream \\(at byte ${gz.length}\\) are neither gzip data nor zero padding`));
  });

  it('refuses a gzip bomb declaring terabytes before allocating or inflating it', async () => {
    const bytes = nii(1);
    for (let i = 1; i <= 3; i++) bytes.writeInt16LE(32767, 40 + 2 * i); // 32767³ float32 ≈ 140 TB
    const file = put('bomb.nii.gz', gzipSync(Buffer.concat([bytes, Buffer.alloc(8 << 20)])));
    const out = await parserOutcome(() => readNifti(file), { names: file, timeLimitMs: 2000, allocationLimit: 4 << 20, input: 'gzip bomb' });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toMatch(/declares 140724603846652 bytes of voxel data, but a gzip file of \d+ bytes decompresses to at most/);
  });

  it('stops inflating a stream that goes on far past its voxels', async () => {
    const file = put('trailing-bomb.nii.gz', gzipSync(Buffer.concat([nii(1), Buffer.alloc(20 << 20)]), { level: 1 }));
    expect(await message(file)).toMatch(/goes on for more than 16777216 bytes after the 32 bytes of voxel data/);
  });

  it('refuses a NIfTI-2 dim whose voxel count is past 2^53 without allocating', async () => {
    const bytes = nii(2);
    for (let i = 1; i <= 3; i++) bytes.writeBigInt64LE(1n << 40n, 16 + 8 * i);
    const file = put('huge-v2.nii', bytes);
    const out = await parserOutcome(() => readNifti(file), { names: file, timeLimitMs: 2000, allocationLimit: 1 << 20, input: 'dims 2^40' });
    expect(out.ok).toBe(false);
  });
});
