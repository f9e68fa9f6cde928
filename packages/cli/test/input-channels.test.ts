import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaseProperties, writeCase } from '@openmind-ssl/data';
import { describe, expect, it } from 'vitest';
import { inputChannelsOf } from '../src/input-channels.js';

/** A store of 4³ cases with the given channel counts (only what inputChannelsOf reads is meaningful). */
async function storeWith(channels: number[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'om-channels-'));
  const cases = channels.map((c, i) => ({ id: `case${i}`, subjectId: `sub${i}`, path: `case${i}.zarr` }));
  for (const [i, c] of channels.entries()) {
    await writeCase(join(dir, cases[i]!.path), {
      data: new Float32Array(c * 64), shape: [c, 4, 4, 4], anon: null, anat: null, anatomyLocations: null,
      properties: { id: cases[i]!.id, subjectId: cases[i]!.subjectId } as CaseProperties,
    });
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 1, datasetName: 't', configuration: 'onemmiso', plansName: 'p', cases, failed: [] }));
  return dir;
}

describe('inputChannelsOf', () => {
  it("should give the channel count every case's image array has", async () => {
    expect(await inputChannelsOf(await storeWith([2, 2, 2]))).toBe(2);
    expect(await inputChannelsOf(await storeWith([1]))).toBe(1);
  });

  it('should refuse a store whose cases disagree, naming two of them', async () => {
    await expect(inputChannelsOf(await storeWith([1, 1, 3]))).rejects.toThrow(/different channel counts — 'case0' has 1, 'case2' has 3/);
  });

  it('should refuse a store that lists no case', async () => {
    await expect(inputChannelsOf(await storeWith([]))).rejects.toThrow(/lists no case in its manifest\.json/);
  });
});
