import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Affine } from '../nifti/affine.js';
import { createNiftiImage } from '../nifti/create-nifti-image.js';
import { writeNifti } from '../nifti/write-nifti.js';
import type { CliIo } from './cli-io.js';
import { runDataCli } from './data-cli.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const LPS: Affine = [
  [-2, 0, 0, 10],
  [0, -2, 0, 20],
  [0, 0, 3, -5],
  [0, 0, 0, 1],
];

describe('runDataCli', () => {
  describe('info', () => {
    it('should print shape, dtype, spacing, affine, orientation and min/max/mean as JSON', async () => {
      const file = join(work, 'vol.nii.gz');
      await writeNifti(file, createNiftiImage(Int16Array.from({ length: 24 }, (_, i) => i - 4), [2, 3, 4], { affine: LPS }));
      const io = capture();
      expect(await runDataCli(['info', file, '--json'], io)).toBe(0);
      const r = JSON.parse(io.stdout.join('\n'));
      expect(r).toMatchObject({ shape: [2, 3, 4], dtype: 'int16', spacing: [2, 2, 3], orientation: 'LPS', affine: LPS, compressed: true });
      expect(r.stats).toMatchObject({ min: -4, max: 19, mean: 7.5 });
    });

    it('should describe the reoriented volume with --reorient and print text by default', async () => {
      const file = join(work, 'vol2.nii');
      await writeNifti(file, createNiftiImage(new Float32Array(24), [2, 3, 4], { affine: LPS }));
      const io = capture();
      expect(await runDataCli(['info', file, '--reorient'], io)).toBe(0);
      const text = io.stdout.join('\n');
      expect(text).toMatch(/orientation {2}RAS \(reoriented\)/);
      expect(text).toMatch(/shape {8}\[2, 3, 4\]/);
      expect(text).toMatch(/data {9}min 0 {2}max 0 {2}mean 0/);
    });

    it('should exit 2 naming the file and the problem for a bad file', async () => {
      const file = join(work, 'empty.nii');
      writeFileSync(file, '');
      const io = capture();
      expect(await runDataCli(['info', file], io)).toBe(2);
      expect(io.stderr.join()).toContain(`NIfTI "${file}": the file is empty.`);
    });
  });

  describe('synth and index', () => {
    it('should write a synthetic root that index turns into pretrain_data.json', async () => {
      const out = join(work, 'synth');
      const io = capture();
      expect(await runDataCli(['synth', '--out', out, '--subjects', '3', '--seed', '2', '--size', '20', '--lesion-cases', '1', '--tissue-cases', '1'], io)).toBe(0);
      expect(io.stdout[0]).toMatch(/^wrote \d+ images of 3 subjects/);
      expect(existsSync(join(out, 'nnUNet_raw', 'Dataset501_SynthLesion', 'dataset.json'))).toBe(true);
      expect(existsSync(join(out, 'nnUNet_raw', 'Dataset502_SynthTissue', 'imagesTr', 'synthtissue_000_0001.nii.gz'))).toBe(true);
      const idx = capture();
      const json = join(out, 'pretrain_data.json');
      expect(await runDataCli(['index', out, '--out', json, '--modality', 'T1w', '--json'], idx)).toBe(0);
      const report = JSON.parse(idx.stdout.join('\n'));
      // One T1w per session (the first subject of ds900001 has two sessions).
      const total = report.summary.total;
      expect(total).toMatchObject({ subjects: 3, images: total.sessions, modalities: { T1w: total.sessions } });
      expect(Object.keys(total.modalities)).toEqual(['T1w']);
      expect(JSON.parse(readFileSync(json, 'utf8')).collection_name).toBe('Dataset001_OpenMind');
    });
  });

  describe('having usage mistakes', () => {
    it.each([
      [['synth'], /--out DIR is required/],
      [['synth', '--out', 'x', '--subjects', 'many'], /--subjects must be a valid number here, but got "many"/],
      [['index', 'a', 'b'], /index takes exactly one root folder, but got 2/],
      [['info', 'f.nii', '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /Unknown command "frobnicate"/],
    ])('should exit 2 with the usage for %j', async (argv, message) => {
      const io = capture();
      expect(await runDataCli(argv, io)).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
      expect(io.stderr.join('\n')).toMatch(/usage: openmind-data/);
    });

    it.each(['info', 'index', 'synth'])('should print help for %s', async (cmd) => {
      const io = capture();
      expect(await runDataCli([cmd, '--help'], io)).toBe(0);
      expect(io.stdout.join()).toMatch(new RegExp(`usage: openmind-data ${cmd}`));
    });
  });
});
