import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, OpenMindError } from '@openmind-ssl/core';
import { afterAll, describe, expect, it } from 'vitest';

// Headers the safetensors fuzz test (safetensors.fuzz.test.ts) found, kept as fixed cases.
const work = mkdtempSync(join(tmpdir(), 'om-st-regress-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, header: unknown, data = new Uint8Array(8)): string {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + text.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
  bytes.set(text, 8);
  bytes.set(data, 8 + text.length);
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

async function refusal(path: string): Promise<string> {
  const err = await loadSafetensors(path).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenMindError);
  expect((err as Error).message).toContain(path);
  return (err as Error).message;
}

describe('safetensors regressions', () => {
  it('refuses a null tensor entry (was a TypeError reading its dtype)', async () => {
    expect(await refusal(file('null.safetensors', { w: null }))).toMatch(/tensor 'w' has an invalid header entry/);
  });

  it('refuses negative, fractional or reversed offsets and shapes (was a RangeError from Buffer.alloc)', async () => {
    expect(await refusal(file('neg.safetensors', { w: { dtype: 'U8', shape: [-8], data_offsets: [8, 0] } }))).toMatch(/invalid header entry/);
    expect(await refusal(file('frac.safetensors', { w: { dtype: 'U8', shape: [2.5], data_offsets: [0, 2.5] } }))).toMatch(/invalid header entry/);
  });

  it('refuses overlapping tensors, as the reference implementation does', async () => {
    const header = { a: { dtype: 'U8', shape: [8], data_offsets: [0, 8] }, b: { dtype: 'U8', shape: [4], data_offsets: [4, 8] } };
    expect(await refusal(file('overlap.safetensors', header))).toMatch(/tensor 'b' starts at byte 4 of the data, but the tensors before it end at 8/);
  });

  it('refuses a header that is not an object, and metadata that is not strings', async () => {
    expect(await refusal(file('array.safetensors', [1, 2]))).toMatch(/header must be a JSON object/);
    expect(await refusal(file('meta.safetensors', { __metadata__: { a: 1 } }))).toMatch(/__metadata__ must map names to strings/);
  });
});
