import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseReader, openPreprocessedStore, writeCase } from '@openmind-ssl/data';

/**
 * Copies a preprocessed store to `<out>/<configuration folder>`, giving every case `channels` image channels
 * (channel c is the original times (−1)^c, so the channels differ), and writes `split` as splits_final.json
 * beside it. Returns the new configuration folder.
 */
export async function copyStore(store: string, out: string, channels: number, split: { train: string[]; val: string[] }): Promise<string> {
  const { manifest, cases } = openPreprocessedStore(store);
  const dir = join(out, 'nnsslPlans_onemmiso');
  for (const [i, c] of cases.entries()) {
    const r = CaseReader.open(c.dir);
    try {
      const [, d0, d1, d2] = r.data.shape as [number, number, number, number];
      const one = r.data.read([0, 0, 0, 0], [1, d0, d1, d2]) as Float32Array;
      const data = new Float32Array(channels * one.length);
      for (let ch = 0; ch < channels; ch++) data.set(ch % 2 ? one.map((v) => -v) : one, ch * one.length);
      const mask = (m: typeof r.anon) => (m ? (m.read([0, 0, 0, 0], [1, d0, d1, d2]) as Int8Array) : null);
      await writeCase(join(dir, manifest.cases[i]!.path), {
        data, shape: [channels, d0, d1, d2], anon: mask(r.anon), anat: mask(r.anat), anatomyLocations: r.anatomyLocations(),
        properties: { ...r.properties, normalization: Array.from({ length: channels }, () => r.properties.normalization[0]!) },
      });
    } finally {
      r.close();
    }
  }
  writeFileSync(join(dir, 'manifest.json'), readFileSync(join(store, 'manifest.json')));
  writeFileSync(join(out, 'splits_final.json'), JSON.stringify(split));
  return dir;
}
