import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlans } from '../preprocess/store-files.js';
import { planExperiment, plansToNnssl } from '../preprocess/plans.js';
import { decodeChunk } from './shard-codec.js';
import { ZarrArrayReader } from './zarr-array-reader.js';
import { writeZarrArray } from './zarr-array-writer.js';

// Inputs the data fuzz tests (zarr-array.fuzz.test.ts, dataset-files.fuzz.test.ts) found, kept as fixed cases.
const work = mkdtempSync(join(tmpdir(), 'om-zarr-regress-'));
const seed = join(work, 'seed');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await writeZarrArray(seed, { data: Float32Array.from({ length: 630 }, (_, i) => i), shape: [1, 9, 7, 10], dtype: 'float32', chunkShape: [1, 4, 4, 4], compressionLevel: 1 });
});

let copies = 0;
function withMeta(edit: (m: Record<string, any>) => void): string {
  const dir = join(work, `copy-${copies++}`);
  cpSync(seed, dir, { recursive: true });
  const meta = JSON.parse(readFileSync(join(dir, 'zarr.json'), 'utf8')) as Record<string, any>;
  edit(meta);
  writeFileSync(join(dir, 'zarr.json'), JSON.stringify(meta));
  return dir;
}

function refusal(dir: string): string {
  try {
    const r = ZarrArrayReader.open(dir);
    r.read([0, 0, 0, 0], [1, 9, 7, 10]);
    r.close();
  } catch (err) {
    expect(err).toBeInstanceOf(OpenMindError);
    expect((err as Error).message).toContain(dir);
    return (err as Error).message;
  }
  throw new Error(`reading ${dir} should have failed`);
}

describe('Zarr regressions', () => {
  it('names the shard of a chunk that does not inflate (was zlib\'s "incorrect data check")', () => {
    const dir = join(work, 'corrupt-chunk');
    cpSync(seed, dir, { recursive: true });
    const shard = join(dir, 'c', '0', '0', '0', '0');
    const bytes = readFileSync(shard);
    bytes[20]! ^= 0xff; // inside the first chunk's deflate data; the index (at the end) is intact
    writeFileSync(shard, bytes);
    expect(refusal(dir)).toMatch(/chunk \d+ does not decode/);
  });

  it('refuses a separator or endian zarrita would read differently, and a shard larger than the array', () => {
    expect(refusal(withMeta((m) => (m.chunk_key_encoding.configuration.separator = false)))).toMatch(/chunk_key_encoding must be "default" with separator "\/"/);
    expect(refusal(withMeta((m) => (m.codecs[0].configuration.codecs[0].configuration.endian = 'big')))).toMatch(/little-endian bytes/);
    expect(refusal(withMeta((m) => (m.chunk_grid.configuration.chunk_shape[3] = 2 ** 31)))).toMatch(/whole array in whole inner chunks, \[1, 12, 8, 12\]/);
  });

  it('names a missing shard (was an ENOENT from openSync)', () => {
    const dir = join(work, 'no-shard');
    mkdirSync(dir);
    cpSync(join(seed, 'zarr.json'), join(dir, 'zarr.json'));
    expect(refusal(dir)).toMatch(/its shard ".*" must exist/);
  });

  it('does not inflate a chunk past its size (a chunk of 64 MiB of zeros where 64 bytes belong)', () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 1 });
    expect(() => decodeChunk(bomb, 'float32', 16, true)).toThrow(/larger than 65 bytes/);
  });
});

describe('plans regressions', () => {
  it('names a plans file that is not JSON (was a SyntaxError), or whose fields have the wrong type (was a TypeError later)', () => {
    const dir = join(work, 'plans');
    mkdirSync(dir);
    const file = join(dir, 'nnsslPlans.json');
    writeFileSync(file, '{"configurations": ');
    expect(() => readPlans(dir)).toThrow(new RegExp(`plans "${file}": must be valid JSON`));
    const plans = plansToNnssl(planExperiment([[1, 1, 1]], 'D')) as Record<string, any>;
    plans['configurations']['onemmiso'] = null;
    writeFileSync(file, JSON.stringify(plans));
    expect(() => readPlans(dir)).toThrow(/configurations\.onemmiso must be an object, but got null/);
    plans['configurations'] = plansToNnssl(planExperiment([[1, 1, 1]], 'D'))['configurations'];
    plans['transpose_forward'] = [0, 0, 2];
    writeFileSync(file, JSON.stringify(plans));
    expect(() => readPlans(dir)).toThrow(/transpose_forward must be a permutation of \[0, 1, 2\], but got \[0,0,2\]/);
  });
});
