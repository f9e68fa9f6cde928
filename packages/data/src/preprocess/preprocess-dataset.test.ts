import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseReader } from '../store/case-reader.js';
import type { StoreManifest } from '../store/store-manifest.js';
import { preprocessDataset } from './preprocess-dataset.js';
import type { PreprocessProgress } from './progress-bar.js';
import { writeSyntheticDataset } from './testing/synthetic-cases.js';

const root = mkdtempSync(join(tmpdir(), 'om-pp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let input = '';
beforeAll(async () => {
  input = await writeSyntheticDataset(join(root, 'raw'), { cases: 8, shape: [18, 16, 9], spacing: [0.9, 0.8, 2.9], nanCases: [2], badMaskCases: [5], noMaskCases: [6] });
});

/** Every file under `dir` with its bytes, the folder's own path replaced so two stores compare equal. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1').split(dir).join('<OUT>'));
    }
  };
  walk(dir);
  return out;
}

describe('preprocessDataset', () => {
  describe('having a dataset with bad cases', () => {
    it('should preprocess the good cases in worker threads, and report and skip the bad ones', async () => {
      const out = join(root, 'run-a');
      const events: PreprocessProgress[] = [];
      const summary = await preprocessDataset({ input, out, workers: 2, onProgress: (p) => events.push(p) });
      expect(summary.total).toBe(8);
      expect(summary.processed).toBe(6);
      expect(summary.failed.map((f) => f.id)).toEqual(['Dataset001_Synthetic__ds000001__sub-02__ses-DEFAULT__sub-02_T1w.nii.gz', 'Dataset001_Synthetic__ds000001__sub-05__ses-DEFAULT__sub-05_T1w.nii.gz']);
      expect(summary.failed[0]!.error).toMatch(/NaN/);
      expect(summary.failed[1]!.error).toMatch(/mask shape must equal/);
      expect(events.at(-1)).toMatchObject({ done: 8, total: 8, failed: 2 });
      const manifest = JSON.parse(readFileSync(join(summary.dataDir, 'manifest.json'), 'utf8')) as StoreManifest;
      expect(manifest.cases).toHaveLength(6);
      expect(summary.plans.transposeForward).toEqual([0, 1, 2]);
      // Array axes are [Z, Y, X]: the 2.9 mm axis comes first, and 1 mm iso is the target.
      const c = CaseReader.open(join(summary.dataDir, manifest.cases[0]!.path));
      expect(c.properties.originalSpacing).toEqual([2.9, 0.8, 0.9].map((v) => Math.fround(v)));
      expect(c.properties.spacing).toEqual([1, 1, 1]);
      expect(c.anon).not.toBeNull();
      expect(c.anat).not.toBeNull();
      c.close();
      const noMask = CaseReader.open(join(summary.dataDir, manifest.cases.find((m) => m.id.includes('sub-06'))!.path));
      expect(noMask.anon).toBeNull();
      noMask.close();
      expect(JSON.parse(readFileSync(join(out, 'nnsslPlans.json'), 'utf8'))).toMatchObject({ plans_name: 'nnsslPlans', transpose_forward: [0, 1, 2] });
      expect(existsSync(join(out, 'pretrain_data__onemmiso.json'))).toBe(true);

      const again = await preprocessDataset({ input, out, workers: 0 });
      expect(again).toMatchObject({ processed: 0, skipped: 6 });
    });
  });

  describe('having a run killed mid-way', () => {
    it('should, when run again, produce the same store as an uninterrupted run', async () => {
      const reference = join(root, 'uninterrupted');
      await preprocessDataset({ input, out: reference, workers: 1 });

      const out = join(root, 'killed');
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const driver = fileURLToPath(new URL('./testing/run-preprocess.ts', import.meta.url));
      const child = spawn(process.execPath, ['--conditions=@openmind-ssl/source', '--import', tsx, driver, input, out, '1', '400'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let seen = 0;
      let finished = false;
      await new Promise<void>((resolve) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) {
            if (l === 'finished') finished = true;
            else if ((JSON.parse(l) as PreprocessProgress).id) seen++;
            if (seen === 3 && child.exitCode === null) child.kill('SIGKILL');
          }
        });
        child.on('exit', () => resolve());
      });
      expect(finished).toBe(false);
      const manifestFile = join(out, 'nnsslPlans_onemmiso', 'manifest.json');
      expect(existsSync(manifestFile)).toBe(false);
      // A half-written case as a kill during writing leaves it: a temporary folder beside the target.
      const partial = join(out, 'nnsslPlans_onemmiso', 'Dataset001_Synthetic', 'ds000001', 'sub-07', 'ses-DEFAULT');
      const stale = join(partial, '.sub-07_T1w.zarr.99999.deadbeef.tmp');
      mkdirSync(join(stale, 'data'), { recursive: true });

      const summary = await preprocessDataset({ input, out, workers: 1 });
      expect(summary.skipped).toBeGreaterThan(0);
      expect(summary.processed + summary.skipped).toBe(6);
      expect(existsSync(stale)).toBe(false);
      const a = snapshot(reference);
      const b = snapshot(out);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [k, v] of a) expect(b.get(k) === v, k).toBe(true);
    });
  });
});
