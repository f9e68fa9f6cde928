import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors-bytes.js';
import { loadSafetensors, saveHostSafetensors, type HostTensor } from './safetensors-file.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-st-bytes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tensors = new Map<string, HostTensor>([
  ['a.weight', { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1.5, -2, 3.25, 0, 1e-7, -1e7]) }],
  ['b.count', { dtype: 'int32', shape: [2], data: Int32Array.from([7, -9]) }],
]);

describe('safetensors in memory', () => {
  it('encodes the bytes saveHostSafetensors writes, and decodes what loadSafetensors reads', async () => {
    const file = join(work, 'm.safetensors');
    await saveHostSafetensors(file, tensors, { plan: '{"x":1}' });
    const bytes = encodeSafetensors(tensors, { plan: '{"x":1}' });
    expect(bytes).toEqual(new Uint8Array(readFileSync(file)));
    const decoded = decodeSafetensors(bytes, 'm.safetensors');
    const loaded = await loadSafetensors(file);
    expect(decoded.metadata).toEqual(loaded.metadata);
    expect([...decoded.tensors.keys()]).toEqual(['a.weight', 'b.count']);
    for (const [k, t] of loaded.tensors) expect(decoded.tensors.get(k)).toEqual(t);
  });

  it('refuses truncated bytes, naming the file', () => {
    const bytes = encodeSafetensors(tensors);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3), 'cut.safetensors')).toThrow(/cut\.safetensors: .*truncated/);
    expect(() => decodeSafetensors(bytes.subarray(0, 5), 'tiny.safetensors')).toThrow(/tiny\.safetensors: truncated/);
  });
});
