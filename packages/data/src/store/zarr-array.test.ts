import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import FileSystemStore from '@zarrita/storage/fs';
import { decodeFloat16, encodeFloat16, toFloat16Bits } from './float16.js';
import { ZarrArrayReader } from './zarr-array-reader.js';
import { writeZarrArray } from './zarr-array-writer.js';

const root = mkdtempSync(join(tmpdir(), 'om-zarr-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function volume(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/** Reference region read straight from the full array, with `outside` beyond its bounds. */
function crop(data: ArrayLike<number>, shape: number[], start: number[], size: number[], outside: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < size[0]!; a++) for (let b = 0; b < size[1]!; b++) for (let c = 0; c < size[2]!; c++) for (let d = 0; d < size[3]!; d++) {
    const p = [a + start[0]!, b + start[1]!, c + start[2]!, d + start[3]!];
    const inside = p.every((v, i) => v >= 0 && v < shape[i]!);
    out.push(inside ? data[((p[0]! * shape[1]! + p[1]!) * shape[2]! + p[2]!) * shape[3]! + p[3]!]! : outside);
  }
  return out;
}

describe('ZarrArrayReader', () => {
  const shape = [1, 21, 18, 27];
  const data = volume(shape, 1);

  describe('having a float32 array in 8³ chunks', () => {
    const dir = join(root, 'f32');
    it('should read any region, inside or overlapping the border, exactly (sync and async)', async () => {
      await writeZarrArray(dir, { data, shape, dtype: 'float32', chunkShape: [1, 8, 8, 8], compressionLevel: 1 });
      const r = ZarrArrayReader.open(dir);
      const rng = new Rng(7);
      for (let t = 0; t < 20; t++) {
        const size = [1, rng.int(1, 30), rng.int(1, 30), rng.int(1, 30)];
        const start = [0, rng.int(-10, 25), rng.int(-10, 20), rng.int(-10, 30)];
        const want = crop(data, shape, start, size, -5);
        expect(Array.from(r.read(start, size, -5))).toEqual(want);
        expect(Array.from(await r.readAsync(start, size, -5))).toEqual(want);
      }
      r.close();
    });

    it('should be readable by zarrita (an independent Zarr v3 implementation) with the same values', async () => {
      const arr = await zarr.open.v3(zarr.root(new FileSystemStore(dir)), { kind: 'array' });
      const got = await zarr.get(arr, [null, zarr.slice(3, 17), null, zarr.slice(5, 26)]);
      expect(got.shape).toEqual([1, 14, 18, 21]);
      expect(Array.from(got.data as Float32Array)).toEqual(crop(data, shape, [0, 3, 0, 5], [1, 14, 18, 21], 0));
    });

    it('should refuse a shard whose index was corrupted', () => {
      const copy = join(root, 'f32-corrupt');
      rmSync(copy, { recursive: true, force: true });
      const meta = readFileSync(join(dir, 'zarr.json'));
      const shard = readFileSync(join(dir, 'c', '0', '0', '0', '0'));
      shard[shard.length - 10] = shard[shard.length - 10]! ^ 0xff;
      mkdirSync(join(copy, 'c', '0', '0', '0'), { recursive: true });
      writeFileSync(join(copy, 'zarr.json'), meta);
      writeFileSync(join(copy, 'c', '0', '0', '0', '0'), shard);
      expect(() => ZarrArrayReader.open(copy)).toThrow(/CRC-32C/);
    });
  });

  describe('having float16 storage', () => {
    it('should return the float16-rounded values (relative error ≤ 2^-11)', async () => {
      const dir = join(root, 'f16');
      await writeZarrArray(dir, { data, shape, dtype: 'float16', chunkShape: [1, 16, 16, 16], compressionLevel: 0 });
      const r = ZarrArrayReader.open(dir);
      const got = r.read([0, 0, 0, 0], shape) as Float32Array;
      r.close();
      expect(Array.from(got)).toEqual(Array.from(decodeFloat16(encodeFloat16(data))));
      let worst = 0;
      for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(got[i]! - data[i]!) - (Math.abs(data[i]!) * 2 ** -11 + 2 ** -25));
      expect(worst).toBeLessThanOrEqual(0);
    });
  });

  describe('having int8 masks with all-zero chunks', () => {
    it('should leave zero chunks out of the shard and read them back as 0', async () => {
      const mshape = [1, 16, 16, 16];
      const mask = new Int8Array(16 ** 3);
      for (let i = 0; i < 8; i++) mask[i] = -1;
      const dir = join(root, 'i8');
      await writeZarrArray(dir, { data: mask, shape: mshape, dtype: 'int8', chunkShape: [1, 8, 8, 8], compressionLevel: 1 });
      const r = ZarrArrayReader.open(dir);
      expect(Array.from(r.read([0, 0, 0, 0], mshape))).toEqual(Array.from(mask));
      r.close();
      const shardBytes = readFileSync(join(dir, 'c', '0', '0', '0', '0')).length;
      expect(shardBytes).toBeLessThan(8 * 16 + 4 + 100);
    });
  });
});

describe('toFloat16Bits', () => {
  it('should round to nearest even and handle the special values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(1);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
  });
});
