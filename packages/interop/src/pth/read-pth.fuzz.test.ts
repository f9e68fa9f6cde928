import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyMutations, byteMutations, describeMutations, fuzzSettings, parserOutcome, requirePython, runPython } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { TorchTensor } from '../pickle/py-value.js';
import { fixturePath, TOOLS } from '../test-support/fixtures.js';
import { readPth } from './read-pth.js';
import { rawTensorOf, tensorsIn } from './tensor-tree.js';
import { encodePthBytes } from './write-pth.js';

// Mutations of real checkpoints (torch.save's zip and legacy formats from the fixtures, and our writer's
// output): readPth must read each, or refuse it with an OpenMindError naming the file, within time and
// memory bounds. What it reads is compared with torch.load(weights_only=True), in one python call.
// Without torch the mutations still run; only the comparison is skipped (or fails under OPENMIND_REQUIRE_REFERENCES=1).
const torch = requirePython(['torch']);
const dir = mkdtempSync(join(tmpdir(), 'pth-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seeds(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const ours = await encodePthBytes(
    new Map<string, unknown>([
      ['weight', { dtype: 'float32', shape: [2, 3], data: new Uint8Array(Float32Array.from([1, -2, 3.5, 0, 7, -0.25]).buffer) }],
      ['steps', { dtype: 'int64', shape: [2], data: new Uint8Array(BigInt64Array.from([3n, -9n]).buffer) }],
      ['mask', { dtype: 'bool', shape: [3], data: Uint8Array.from([1, 0, 1]) }],
      ['half', { dtype: 'float16', shape: [1, 2], data: Uint8Array.from([0, 60, 0, 192]) }],
    ]) as never,
  );
  return [
    { name: 'zoo.pth', bytes: new Uint8Array(readFileSync(fixturePath('zoo.pth'))) },
    { name: 'zoo-legacy.pth', bytes: new Uint8Array(readFileSync(fixturePath('zoo-legacy.pth'))) },
    { name: 'writer', bytes: ours },
  ];
}

interface Parsed {
  file: string;
  input: string;
  tensors: { path: string; dtype: string; shape: number[]; sha256: string }[];
}
const parsed: Parsed[] = [];
const tally = { cases: 0, read: 0, refused: 0 };

describe('readPth on mutated checkpoints', async () => {
  const corpus = await seeds();
  const caseArb = fc.nat({ max: corpus.length - 1 }).chain((i) => fc.record({ seed: fc.constant(i), mutations: byteMutations(corpus[i]!.bytes.length, [], 2048) }));

  it('reads or refuses with an OpenMindError naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ seed, mutations }) => {
        const s = corpus[seed]!;
        const bytes = applyMutations(s.bytes, mutations);
        const file = join(dir, `case-${tally.cases++}.pth`);
        writeFileSync(file, bytes);
        const input = `${s.name}: ${describeMutations(mutations)}`;
        const out = await parserOutcome(
          async () => {
            const pth = await readPth(file);
            return [...tensorsIn(pth.root)]
              .filter(([, t]) => t instanceof TorchTensor)
              .map(([path, t]) => {
                const raw = rawTensorOf(t, file);
                return { path: path.join('.'), dtype: raw.dtype, shape: raw.shape, sha256: createHash('sha256').update(raw.data).digest('hex') };
              });
          },
          { names: file, timeLimitMs: 5000, allocationLimit: Math.max(1 << 20, 4 * bytes.length), input },
        );
        if (!out.ok) {
          tally.refused++;
          rmSync(file);
          return;
        }
        tally.read++;
        parsed.push({ file, input, tensors: out.value });
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
    console.info(`readPth fuzz: ${tally.cases} cases, ${tally.read} read, ${tally.refused} refused`);
  });

  it.skipIf(!torch)('what it reads, torch.load(weights_only=True) reads the same', () => {
    if (parsed.length === 0) return;
    const list = join(dir, 'files.txt');
    writeFileSync(list, parsed.map((p) => p.file).join('\n'));
    const refs = JSON.parse(runPython([join(TOOLS, 'torch_load_brief.py'), list])) as { ok: boolean; error?: string; tensors: Parsed['tensors'] }[];
    const disagreements: string[] = [];
    let compared = 0;
    parsed.forEach((p, i) => {
      const r = refs[i]!;
      // Our allow-list is wider than torch 1.13's weights_only one (numpy scalars and arrays, which
      // nnssl checkpoints hold), so those refusals say nothing about the tensors.
      if (!r.ok && /Unsupported class numpy\./.test(r.error ?? '')) return;
      // torch 1.13's weights_only unpickler lacks MEMOIZE (opcode 148), which Python's pickle (and torch
      // 2's weights_only) read in any stream; a flipped bit makes one in the legacy fixture.
      if (!r.ok && /Unsupported operand 148\b/.test(r.error ?? '')) return;
      compared++;
      if (!r.ok) return void disagreements.push(`${p.input}: we read it, torch refuses (${r.error})`);
      const key = (t: Parsed['tensors'][number]) => `${t.path} ${t.dtype} [${t.shape.join(',')}] ${t.sha256}`;
      const ours = p.tensors.map(key).sort().join('\n');
      const theirs = r.tensors.map(key).sort().join('\n');
      if (ours !== theirs) disagreements.push(`${p.input}: tensors differ\n  ours:  ${ours}\n  torch: ${theirs}`);
    });
    console.info(`readPth fuzz: ${compared} of ${parsed.length} parsed files compared with torch.load (the rest hold numpy values torch's weights_only refuses)`);
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
});
