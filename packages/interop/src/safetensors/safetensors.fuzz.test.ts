import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadSafetensors } from '@openmind-ssl/core';
import {
  applyJsonMutations, applyMutations, byteMutations, describeJsonMutations, describeMutations, fuzzSettings, jsonMutations, parserOutcome,
} from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRawSafetensors, writeRawSafetensors } from './raw-safetensors.js';

// Mutations of .safetensors files our writer makes (several dtypes, metadata): core's loadSafetensors
// (checkpoints) and interop's readRawSafetensors (conversion) must read each, or refuse it with an
// OpenMindError naming the file, within time and memory bounds. Bytes and the JSON header are both
// mutated. (No independent reader is installed here: Debian's torch 1.13 predates safetensors.)
const work = mkdtempSync(join(tmpdir(), 'om-st-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let seed = new Uint8Array();
let header: unknown;
let headerEnd = 0;
const tally = { cases: 0, read: 0, refused: 0 };

beforeAll(async () => {
  const file = join(work, 'seed.safetensors');
  await writeRawSafetensors(
    file,
    new Map([
      ['w', { dtype: 'float32' as const, shape: [2, 3], data: new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer) }],
      ['b', { dtype: 'float16' as const, shape: [2], data: Uint8Array.from([0, 60, 0, 192]) }],
      ['n', { dtype: 'int64' as const, shape: [1], data: new Uint8Array(BigInt64Array.from([7n]).buffer) }],
    ]),
    { format: 'pt' },
  );
  seed = new Uint8Array(readFileSync(file));
  const length = Number(new DataView(seed.buffer).getBigUint64(0, true));
  headerEnd = 8 + length;
  header = JSON.parse(new TextDecoder().decode(seed.subarray(8, headerEnd)));
});

/** The file with its JSON header replaced (length prefix updated), the tensor bytes kept. */
function withHeader(json: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json) ?? 'null');
  const out = new Uint8Array(8 + text.length + seed.length - headerEnd);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(seed.subarray(headerEnd), 8 + text.length);
  return out;
}

describe('safetensors readers on mutated files', () => {
  it('core loadSafetensors and interop readRawSafetensors read or refuse naming the file', async () => {
    const edit = fc.oneof(byteMutations(seed.length, [], 256).map((b) => ({ b })), jsonMutations().map((j) => ({ j })));
    await fc.assert(
      fc.asyncProperty(edit, async (e) => {
        const bytes = 'b' in e ? applyMutations(seed, e.b) : withHeader(applyJsonMutations(header, e.j));
        const file = join(work, `case-${tally.cases++}.safetensors`);
        writeFileSync(file, bytes);
        const input = 'b' in e ? describeMutations(e.b) : `header ${describeJsonMutations(e.j, header)}`;
        const bounds = { names: file, timeLimitMs: 3000, allocationLimit: Math.max(1 << 16, 4 * bytes.length), input };
        const core = await parserOutcome(() => loadSafetensors(file), bounds);
        const raw = await parserOutcome(() => readRawSafetensors(file), bounds);
        // Both check the same header; a file one reads, the other must read with the same tensors.
        expect(raw.ok ? [...raw.value.tensors.keys()].sort() : null, input).toEqual(core.ok ? [...core.value.tensors.keys()].sort() : null);
        if (core.ok) tally.read++;
        else tally.refused++;
        rmSync(file);
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
    console.info(`safetensors fuzz: ${JSON.stringify(tally)}`);
  });
});
