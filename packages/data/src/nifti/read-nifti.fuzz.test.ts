import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { applyMutations, byteMutations, describeMutations, fuzzSettings, parserOutcome, requirePython, runPython } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { headerFields, nibabelSeeds, writerSeeds } from './nifti-fuzz-corpus.js';
import { readNifti } from './read-nifti.js';
import { GZIP_MAX_RATIO } from './read-source.js';

// Mutations of real files (our writer's output; nibabel's test data where python3-nibabel is installed):
// every one must be read, or refused with an OpenMindError naming the file, within time and memory bounds.
// Files that are read are compared with nibabel afterwards, in one python call.
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../tools/nibabel_reference.py');
const nibabelOk = requirePython(['nibabel', 'numpy']);
// Without Debian's python3-nibabel the mutations of our writer's output still run; only the comparison is skipped.
const seeds = [...writerSeeds(), ...nibabelSeeds()];
const dir = mkdtempSync(join(tmpdir(), 'nifti-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Parsed {
  file: string;
  input: string;
  shape: number[];
  sha: string;
  affine: number[][];
  voxOffsetZero: boolean;
}
const parsed: Parsed[] = [];
const tally = { cases: 0, read: 0, refused: 0 };

type Layer = 'plain' | 'gzip-inner' | 'gzip-outer';
const caseArb = fc.nat({ max: seeds.length - 1 }).chain((i) =>
  fc.record({
    seed: fc.constant(i),
    layer: seeds[i]!.gzip ? fc.constantFrom<Layer>('plain', 'gzip-inner', 'gzip-outer') : fc.constant<Layer>('plain'),
    mutations: byteMutations(seeds[i]!.plain.length, headerFields(seeds[i]!.plain), 600),
  }),
);

describe('readNifti on mutated files', () => {
  it(`reads or refuses with an OpenMindError naming the file (${seeds.length} seed files)`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ seed, layer, mutations }) => {
        const s = seeds[seed]!;
        // gzip-inner mutates the NIfTI bytes and then compresses them, so header fields reach the parser.
        const bytes =
          layer === 'plain' ? applyMutations(s.plain, mutations)
          : layer === 'gzip-inner' ? gzipSync(applyMutations(s.plain, mutations), { level: 1 })
          : applyMutations(gzipSync(s.plain, { level: 1 }), mutations);
        const file = join(dir, `case-${tally.cases++}.nii${layer === 'plain' ? '' : '.gz'}`);
        writeFileSync(file, bytes);
        const input = `${s.name} ${layer}: ${describeMutations(mutations)}`;
        const out = await parserOutcome(() => readNifti(file, { scale: false, nonFinite: 'allow' }), {
          names: file,
          timeLimitMs: 5000,
          // Voxels of a plain file fit in the file; a gzip stream inflates at most GZIP_MAX_RATIO-fold.
          allocationLimit: Math.max(2 << 20, layer === 'plain' ? bytes.length : bytes.length * GZIP_MAX_RATIO),
          input,
        });
        if (!out.ok) {
          tally.refused++;
          rmSync(file);
          return;
        }
        tally.read++;
        const d = out.value.data;
        const sha = createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');
        parsed.push({ file, input, shape: out.value.shape, sha, affine: out.value.affine, voxOffsetZero: out.value.header.voxOffset === 0 });
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
    console.info(`readNifti fuzz: ${tally.cases} cases, ${tally.read} read, ${tally.refused} refused`);
  });

  it.skipIf(!nibabelOk)('what it reads, nibabel reads the same (shape, voxels, affine)', () => {
    if (parsed.length === 0) return;
    const list = join(dir, 'files.txt');
    writeFileSync(list, parsed.map((p) => p.file).join('\n'));
    const refs = JSON.parse(runPython([SCRIPT, 'brief', list])) as { ok: boolean; error?: string; shape: number[]; raw_sha256: string; affine: (number | string)[][] }[];
    const disagreements: string[] = [];
    const fromJson = (v: number | string) => (typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number.NaN);
    let compared = 0;
    parsed.forEach((p, i) => {
      const r = refs[i]!;
      // vox_offset 0 in a .nii: we read after the header as niftilib (and so SimpleITK, which nnssl uses)
      // does; nibabel reads the header itself as voxels. A known, documented divergence.
      if (p.voxOffsetZero) return;
      compared++;
      if (!r.ok) return void disagreements.push(`${p.input}: we read it, nibabel refuses (${r.error})`);
      const shape = [...r.shape];
      while (shape.length > p.shape.length && shape[shape.length - 1] === 1) shape.pop();
      if (shape.join() !== p.shape.join()) return void disagreements.push(`${p.input}: shape [${p.shape}] vs nibabel [${r.shape}]`);
      if (r.raw_sha256 !== p.sha) return void disagreements.push(`${p.input}: voxels differ from nibabel's`);
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b < 4; b++) {
          const want = fromJson(r.affine[a]![b]!);
          const got = p.affine[a]![b]!;
          const close = Number.isFinite(want) ? Math.abs(got - want) <= 1e-4 * Math.max(1, Math.abs(want)) : Object.is(got, want);
          if (!close) return void disagreements.push(`${p.input}: affine[${a}][${b}] ${got} vs nibabel ${want}`);
        }
      }
    });
    console.info(`readNifti fuzz: ${compared} parsed files compared with nibabel`);
    expect(disagreements.slice(0, 10)).toEqual([]);
  });
});
