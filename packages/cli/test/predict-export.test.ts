import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESENC_PRESETS, resEncArchitecturePlans, resencFactory } from '@openmind-ssl/arch-resenc';
import { Rng, setBackend, tensor } from '@openmind-ssl/core';
import { buildSegmentationNetwork, saveSegmentationModel, type SegmentationPlan } from '@openmind-ssl/task-segmentation';
import { testAdaptationPlan } from '../../task-segmentation/src/testing/adaptation-plan.js';
import { writeTestDataset } from '../../task-segmentation/src/testing/write-dataset.js';
import { ReferenceBackend, requirePython, runPython } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');
const openmind = (...args: string[]) => spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });

setBackend(new ReferenceBackend());

// A fine-tuning run folder as the trainer leaves it (checkpoint_final with the plan), a resenc-tiny network
// (16³ patch, one channel, 2 classes) with random weights.
const plan: SegmentationPlan = {
  adaptationPlan: { ...testAdaptationPlan(), architecture_plans: resEncArchitecturePlans(RESENC_PRESETS['resenc-tiny']!.config, 'ResidualEncoderUNet') },
  patchSize: [16, 16, 16], spacingMode: 'like-pretrained', spacing: [1, 1, 1], transpose: [0, 1, 2], channelNames: ['MR'],
  normalization: ['zscore'], useMaskForNorm: [false], labels: { background: 0, lesion: 1 }, numClasses: 2, ignoreLabel: null,
  batchDice: false, batchSize: 2, fileEnding: '.nii.gz',
};
const network = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(3), deepSupervision: false }).network;

describe('openmind predict, evaluate and export on a fine-tuning run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-cli-predict-'));
  const run = join(dir, 'run');
  let data: string;
  beforeAll(async () => {
    await saveSegmentationModel(join(run, 'checkpoint_final'), network, { segmentationPlan: plan, deepSupervision: false });
    data = await writeTestDataset({ cases: 2, spacing: [1, 1, 1.5] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should explain its options with --help', () => {
    const r = openmind('predict', '--help');
    expect(r.status).toBe(0);
    for (const o of ['--model', '--in', '--out', '--no-mirroring', '--step', '--save-probabilities', '--backend']) expect(r.stdout).toContain(o);
  }, 60_000);

  it('should predict every case onto its input grid and evaluate them', () => {
    const pred = join(dir, 'pred');
    const r = openmind('predict', '--model', run, '--in', join(data, 'imagesTr'), '--out', pred, '--no-mirroring', '--save-probabilities');
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(readdirSync(pred).sort()).toEqual(['case_000.nii.gz', 'case_000_probabilities.nii.gz', 'case_001.nii.gz', 'case_001_probabilities.nii.gz']);
    expect(r.stdout).toContain('2 of 2 case(s) written');
    const e = openmind('evaluate', '--pred', pred, '--ref', join(data, 'labelsTr'), '--labels', '1', '--out', join(dir, 'summary.json'));
    expect(e.status, e.stderr).toBe(0);
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  }, 300_000);

  it('should write an ONNX model that onnxruntime-node runs equal to our forward to 1e-4, with the plan in its metadata', async () => {
    const file = join(dir, 'model.onnx');
    const r = openmind('export', '--model', run, '--format', 'onnx', '--out', file);
    expect(r.status, r.stderr).toBe(0);
    // onnxruntime-node as the backend package resolves it (the CLI depends on it through that package).
    const ort = createRequire(createRequire(import.meta.url).resolve('@openmind-ssl/backend-onnxruntime/package.json'))('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(readFileSync(file));
    const patch = Float32Array.from({ length: 2 * 16 ** 3 }, (_, i) => Math.sin(i * 0.11) * 2);
    const out = await session.run({ input: new ort.Tensor('float32', patch, [2, 1, 16, 16, 16]) });
    await session.release();
    const logits = out['logits']!;
    expect(logits.dims).toEqual([2, 2, 16, 16, 16]);
    const ours = [
      await network.forward(tensor(patch.subarray(0, 4096), [1, 1, 16, 16, 16])).floats(),
      await network.forward(tensor(patch.subarray(4096), [1, 1, 16, 16, 16])).floats(),
    ];
    // ORT computes in float32, our reference backend in float64: max |difference| / max |logit| below 1e-4.
    const expected = Float32Array.from([...ours[0]!, ...ours[1]!]);
    const scale = Math.max(...expected.map(Math.abs));
    const worst = Math.max(...(logits.data as Float32Array).map((v, i) => Math.abs(v - expected[i]!)));
    expect(worst / scale).toBeLessThan(1e-4);
    // metadata_props hold the JSON plan (searched as bytes: ORT's JS API does not expose custom metadata).
    expect(readFileSync(file).includes(Buffer.from('"patchSize":[16,16,16]'))).toBe(true);
  }, 300_000);

  it.skipIf(!requirePython(['torch']))('should write a .pth that torch loads, with PyTorch key names and the plan', () => {
    const file = join(dir, 'checkpoint_final.pth');
    const r = openmind('export', '--model', run, '--format', 'pth', '--out', file);
    expect(r.status, r.stderr).toBe(0);
    const seg = network.stateDict().get('decoder.seg_layers.0.weight')!;
    const expected = (seg.dataSync() as Float32Array).reduce((a, b) => a + b, 0);
    const got = JSON.parse(runPython(['-c', `
import json, torch
d = torch.load(${JSON.stringify(file)}, weights_only=False)
w = d['network_weights']
print(json.dumps({'keys': sorted(d.keys()), 'alias': 'decoder.encoder.stem.convs.0.all_modules.0.weight' in w,
  'seg_sum': float(w['decoder.seg_layers.0.weight'].sum()), 'patch': d['segmentation_plan']['patchSize']}))
`]));
    expect(got.keys).toEqual(['network_weights', 'nnssl_adaptation_plan', 'segmentation_plan']);
    expect(got.alias).toBe(true);
    expect(got.seg_sum).toBeCloseTo(expected, 5);
    expect(got.patch).toEqual([16, 16, 16]);
  }, 120_000);
});
