import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import FileSystemStore from '@zarrita/storage/fs';
import {
  applyJsonMutations, applyMutations, byteMutations, describeJsonMutations, describeMutations, fuzzSettings, jsonMutations, parserOutcome,
} from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { ZarrArrayReader } from './zarr-array-reader.js';
import { writeZarrArray } from './zarr-array-writer.js';

// Mutations of Zarr v3 arrays as our writer makes them (sharded, gzip and uncompressed): a corrupted
// zarr.json or shard must be read, or refused with an OpenMindError naming the array, within bounds.
// Whatever we read, zarrita (an independent Zarr v3 reader) must read the same values.
const work = mkdtempSync(join(tmpdir(), 'om-zarr-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const seeds: { name: string; dir: string; shard: string }[] = [];
const shape = [1, 9, 7, 10];
let disagreements: string[] = [];
const tally = { cases: 0, read: 0, refused: 0, compared: 0 };

function shardOf(dir: string): string {
  const walk = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
  return walk(dir).find((f) => !f.endsWith('zarr.json'))!;
}

beforeAll(async () => {
  const data = Float32Array.from({ length: 630 }, (_, i) => Math.sin(i) * 10);
  for (const [name, level] of [['gzip', 1], ['raw', 0]] as const) {
    const dir = join(work, `seed-${name}`);
    await writeZarrArray(dir, { data, shape, dtype: 'float32', chunkShape: [1, 4, 4, 4], compressionLevel: level });
    seeds.push({ name, dir, shard: shardOf(dir) });
  }
});

async function readBoth(dir: string, input: string): Promise<void> {
  tally.cases++;
  const out = await parserOutcome(
    () => {
      const r = ZarrArrayReader.open(dir);
      try {
        // A patch-sized read, as the loader does: the declared shape never sizes an allocation by itself.
        const size = r.shape.map((s) => Math.min(s, 16));
        return { values: Array.from(r.read(r.shape.map(() => 0), size)), size };
      } finally {
        r.close();
      }
    },
    { names: dir, timeLimitMs: 3000, allocationLimit: 1 << 20, input },
  );
  if (!out.ok) return void tally.refused++;
  tally.read++;
  const theirs = await (async () => {
    const arr = await zarr.open.v3(zarr.root(new FileSystemStore(dir)), { kind: 'array' });
    const got = await zarr.get(arr, out.value.size.map((s) => zarr.slice(0, s)));
    return Array.from(got.data as ArrayLike<number>);
  })().catch((e: unknown) => e as Error);
  if (theirs instanceof Error) return void disagreements.push(`${input}: we read it, zarrita refuses (${theirs.message.split('\n')[0]})`);
  tally.compared++;
  const ours = out.value.values;
  if (ours.length !== theirs.length || ours.some((v, i) => !Object.is(v, theirs[i]))) disagreements.push(`${input}: values differ from zarrita's`);
}

describe('ZarrArrayReader on mutated arrays', () => {
  it('zarr.json: read (as zarrita reads it) or refused naming the array', async () => {
    disagreements = [];
    const meta = JSON.parse(readFileSync(join(seeds[0]!.dir, 'zarr.json'), 'utf8')) as unknown;
    const text = new TextEncoder().encode(JSON.stringify(meta));
    let n = 0;
    const edit = fc.oneof(byteMutations(text.length).map((b) => ({ b })), jsonMutations().map((j) => ({ j })));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), edit, async (s, e) => {
        const dir = join(work, `meta-${n++}`);
        cpSync(seeds[s]!.dir, dir, { recursive: true });
        const bytes = 'b' in e ? applyMutations(text, e.b) : new TextEncoder().encode(JSON.stringify(applyJsonMutations(meta, e.j)) ?? 'null');
        writeFileSync(join(dir, 'zarr.json'), bytes);
        await readBoth(dir, `${seeds[s]!.name} zarr.json: ${'b' in e ? describeMutations(e.b) : describeJsonMutations(e.j, meta)}`);
        rmSync(dir, { recursive: true, force: true });
      }),
      { ...fuzzSettings(0.5), endOnFailure: true },
    );
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it('shard: read (as zarrita reads it) or refused naming the array', async () => {
    disagreements = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }).chain((s) => fc.tuple(fc.constant(s), byteMutations(statSync(seeds[s]!.shard).size, [], 4096))), async ([s, m]) => {
        const seed = seeds[s]!;
        const dir = join(work, `shard-${n++}`);
        cpSync(seed.dir, dir, { recursive: true });
        const shard = join(dir, seed.shard.slice(seed.dir.length));
        writeFileSync(shard, applyMutations(new Uint8Array(readFileSync(seed.shard)), m));
        await readBoth(dir, `${seed.name} shard: ${describeMutations(m)}`);
        rmSync(dir, { recursive: true, force: true });
      }),
      { ...fuzzSettings(0.5), endOnFailure: true },
    );
    console.info(`zarr fuzz: ${JSON.stringify(tally)}`);
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
});
