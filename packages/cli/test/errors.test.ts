import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_LOCK_FILE } from '@openmind-ssl/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';

// Every subcommand, given a missing file, an unreadable file, a directory where a file is expected and a
// file where a directory is expected, must exit 2 with one line naming the path: no stack trace.
const work = mkdtempSync(join(tmpdir(), 'om-cli-errors-'));
const missing = join(work, 'missing.nii.gz');
const garbage = join(work, 'garbage.bin');
const folder = join(work, 'a-folder');
const plainFile = join(work, 'a-file');
const locked = join(work, 'locked.json');
writeFileSync(garbage, 'this is not a NIfTI, JSON, zip or pickle file\n');
writeFileSync(plainFile, 'x');
writeFileSync(locked, '{}');
chmodSync(locked, 0o000);
mkdirSync(folder);
// Datasets whose index file is not what it claims to be.
const badDataset = join(work, 'bad-dataset');
mkdirSync(badDataset);
writeFileSync(join(badDataset, 'dataset.json'), '{ not json');
const badClassification = join(work, 'bad-classification');
mkdirSync(join(badClassification, 'images'), { recursive: true });
writeFileSync(join(badClassification, 'labels.csv'), '\u0000\u0001 not a table');
const badPred = join(work, 'bad-pred');
mkdirSync(badPred);
writeFileSync(join(badPred, 'case_000.nii.gz'), 'not gzip');
const scratch = ['--from-scratch', '--arch', 'resenc-tiny', '--backend', 'onnxruntime'];
// A folder named like a checkpoint file, and one real tensor file to convert.
const safetensorsFolder = join(work, 'a-folder.safetensors');
mkdirSync(safetensorsFolder);
const weights = join(work, 'weights.safetensors');
const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }));
const length = Buffer.alloc(8);
length.writeBigUInt64LE(BigInt(header.length));
writeFileSync(weights, Buffer.concat([length, header, Buffer.alloc(4)]));
// Real inputs (made in beforeAll), so that the bad path under test is the first problem a command meets:
// a segmentation dataset, its labels, a classification dataset and a one-step fine-tuned model.
const lesion = join(work, 'synth', 'nnUNet_raw', 'Dataset501_SynthLesion');
const labels = join(lesion, 'labelsTr');
const classification = join(work, 'classification');
const model = join(work, 'model');
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const code = await main(argv);
  return { code, err };
}

beforeAll(async () => {
  const steps = [
    ['data', 'synth', '--out', join(work, 'synth'), '--subjects', '1', '--size', '16', '--lesion-cases', '5', '--tissue-cases', '0'],
    ['data', 'synth', '--task', 'classification', '--out', classification, '--cases', '4', '--size', '16'],
    ['finetune', '--data', lesion, ...scratch, '--patch-size', '16', '--batch-size', '1', '--epochs', '1', '--iterations', '1', '--val-iterations', '1', '--no-validation', '--no-report', '--out', model],
  ];
  for (const argv of steps) {
    const { code, err } = await run(argv);
    vi.restoreAllMocks();
    if (code !== 0) throw new Error(`openmind ${argv.join(' ')} failed (${code}):\n${err}`);
  }
}, 300_000);

const cases: [string, string[], string][] = [
  ['data info: a missing file', ['data', 'info', missing], missing],
  ['data info: an unreadable file', ['data', 'info', garbage], garbage],
  ['data info: a directory for the file', ['data', 'info', folder], folder],
  ['data info: a file where a directory is expected', ['data', 'info', join(plainFile, 'x.nii')], plainFile],
  ['data index: a missing root', ['data', 'index', missing], missing],
  ['data index: a file for the root', ['data', 'index', plainFile], plainFile],
  ['data index: a directory for --out', ['data', 'index', folder, '--out', folder], folder],
  ['data synth: a file for --out', ['data', 'synth', '--out', plainFile], plainFile],
  ['preprocess: a missing input', ['preprocess', missing, '--out', join(work, 'pp1')], missing],
  ['preprocess: an unreadable input', ['preprocess', garbage, '--out', join(work, 'pp2')], garbage],
  ['preprocess: a file for --out', ['preprocess', folder, '--out', plainFile], plainFile],
  ['convert: a missing input', ['convert', missing, join(work, 'out.safetensors')], missing],
  ['convert: an unreadable input', ['convert', garbage, join(work, 'out.safetensors')], garbage],
  ['convert: a directory for the input', ['convert', folder, join(work, 'out.safetensors')], folder],
  ['pretrain: a missing --config', ['pretrain', '--config', missing, '--data', folder], missing],
  ['pretrain: an unreadable --config', ['pretrain', '--config', garbage, '--data', folder], garbage],
  ['pretrain: a directory for --config', ['pretrain', '--config', folder, '--data', folder], folder],
  ['pretrain: a missing --data', ['pretrain', '--data', missing, '--backend', 'onnxruntime', '--out', join(work, 'run1')], missing],
  ['pretrain: a file for --out', ['pretrain', '--data', folder, '--backend', 'onnxruntime', '--out', join(plainFile, 'run')], plainFile],
  ['demo: a file for --sample-data', ['demo', '--sample-data', plainFile, '--out', join(work, 'demo')], plainFile],
  ['finetune (segmentation): a missing --data', ['finetune', '--data', missing, ...scratch, '--out', join(work, 'fs1')], missing],
  ['finetune (segmentation): a file for --data', ['finetune', '--data', plainFile, ...scratch, '--out', join(work, 'fs2')], plainFile],
  ['finetune (segmentation): an unreadable dataset.json', ['finetune', '--data', badDataset, ...scratch, '--out', join(work, 'fs3')], join(badDataset, 'dataset.json')],
  ['finetune (segmentation): a missing --pretrained', ['finetune', '--data', lesion, '--pretrained', missing, '--backend', 'onnxruntime', '--out', join(work, 'fs4')], missing],
  ['finetune (segmentation): an unreadable --pretrained', ['finetune', '--data', lesion, '--pretrained', garbage, '--backend', 'onnxruntime', '--out', join(work, 'fs5')], garbage],
  ['finetune (segmentation): a directory for --pretrained', ['finetune', '--data', lesion, '--pretrained', folder, '--backend', 'onnxruntime', '--out', join(work, 'fs6')], folder],
  ['finetune (segmentation): a file for --out', ['finetune', '--data', folder, ...scratch, '--out', join(plainFile, 'run')], plainFile],
  ['finetune (classification): a missing --data', ['finetune', '--task', 'classification', '--data', missing, '--arch', 'resenc-tiny', '--backend', 'onnxruntime', '--out', join(work, 'fc1')], missing],
  ['finetune (classification): a file for --data', ['finetune', '--task', 'classification', '--data', plainFile, '--arch', 'resenc-tiny', '--backend', 'onnxruntime', '--out', join(work, 'fc2')], plainFile],
  ['finetune (classification): an unreadable labels.csv', ['finetune', '--task', 'classification', '--data', badClassification, '--arch', 'resenc-tiny', '--backend', 'onnxruntime', '--out', join(work, 'fc3')], join(badClassification, 'labels.csv')],
  ['finetune (classification): a missing --pretrained', ['finetune', '--task', 'classification', '--data', classification, '--pretrained', missing, '--backend', 'onnxruntime', '--out', join(work, 'fc4')], missing],
  ['finetune (classification): a file for --out', ['finetune', '--task', 'classification', '--data', badClassification, '--arch', 'resenc-tiny', '--backend', 'onnxruntime', '--out', join(plainFile, 'run')], plainFile],
  ['predict: a missing --model', ['predict', '--model', missing, '--in', folder, '--out', join(work, 'p1'), '--backend', 'onnxruntime'], missing],
  ['predict: an unreadable --model', ['predict', '--model', garbage, '--in', folder, '--out', join(work, 'p2'), '--backend', 'onnxruntime'], garbage],
  ['predict: a directory for --model', ['predict', '--model', folder, '--in', folder, '--out', join(work, 'p3'), '--backend', 'onnxruntime'], folder],
  ['predict: a missing --in', ['predict', '--model', model, '--in', missing, '--out', join(work, 'p4'), '--backend', 'onnxruntime'], missing],
  ['predict: a file for --in\'s folder', ['predict', '--model', model, '--in', join(plainFile, 'imagesTs'), '--out', join(work, 'p5'), '--backend', 'onnxruntime'], plainFile],
  ['predict: a file for --out', ['predict', '--model', model, '--in', join(lesion, 'imagesTr'), '--out', join(plainFile, 'pred'), '--backend', 'onnxruntime'], plainFile],
  ['evaluate: a missing --pred', ['evaluate', '--pred', missing, '--ref', folder, '--out', join(work, 'e1.json')], missing],
  ['evaluate: a file for --ref', ['evaluate', '--pred', folder, '--ref', plainFile, '--out', join(work, 'e2.json')], plainFile],
  ['evaluate: an unreadable prediction', ['evaluate', '--pred', badPred, '--ref', badPred, '--out', join(work, 'e3.json')], join(badPred, 'case_000.nii.gz')],
  ['evaluate: a file where --out\'s folder is expected', ['evaluate', '--pred', labels, '--ref', labels, '--out', join(plainFile, 's.json')], plainFile],
  ['evaluate: a directory for --out', ['evaluate', '--pred', labels, '--ref', labels, '--out', folder], folder],
  ['export: a missing --model', ['export', '--model', missing, '--format', 'onnx', '--out', join(work, 'x1.onnx')], missing],
  ['export: an unreadable --model', ['export', '--model', garbage, '--format', 'onnx', '--out', join(work, 'x2.onnx')], garbage],
  ['export: a directory for --model', ['export', '--model', folder, '--format', 'pth', '--out', join(work, 'x3.pth')], folder],
  ['export: a directory for --out', ['export', '--model', model, '--format', 'onnx', '--out', folder], folder],
  ['export: a file where --out\'s folder is expected', ['export', '--model', model, '--format', 'pth', '--out', join(plainFile, 'x.pth')], plainFile],
  ['convert: a directory for the output', ['convert', weights, safetensorsFolder], safetensorsFolder],
  ['convert: a file where the output\'s folder is expected', ['convert', weights, join(plainFile, 'out.pth')], plainFile],
  ['backends: a missing --plugin', ['backends', '--plugin', missing], missing],
  ['plugins: a file for --plugin', ['plugins', '--plugin', plainFile], plainFile],
];

describe('openmind errors', () => {
  it.each(cases)('%s: exit 2 with one line naming the path', async (_what, argv, path) => {
    const { code, err } = await run(argv);
    expect(err, err).toContain(path);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err.trim().split('\n').filter((l) => !l.startsWith('Hint:')).length, err).toBeLessThanOrEqual(2);
    expect(code, err).toBe(2);
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission: exit 2 naming it (skipped as root, who may read anything)', async () => {
    const { code, err } = await run(['pretrain', '--config', locked, '--data', folder]);
    expect(err).toContain(locked);
    expect(code).toBe(2);
  });

  it('adds the stack trace with --verbose, and still exits 2', async () => {
    const { code, err } = await run(['data', 'info', missing, '--verbose']);
    expect(code).toBe(2);
    expect(err).toMatch(/\n\s+at /);
    delete process.env['OPENMIND_DEBUG'];
  });

  it('pretrain on an --out another live run holds: exit 2 naming the folder and the process, its lock left alone', async () => {
    const out = mkdtempSync(join(work, 'locked-run-'));
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(out, RUN_LOCK_FILE), JSON.stringify({ pid: other.pid, host: hostname(), started: '2026-12-06T18:00:00Z' }));
      const { code, err } = await run(['pretrain', '--data', join(out, 'no-data-needed-yet'), '--out', out, '--backend', 'onnxruntime']);
      expect(code).toBe(2);
      expect(err).toContain(`--out: '${out}' is in use by another run (process ${other.pid} on ${hostname()}`);
      expect(err).not.toMatch(/\n\s+at /);
      expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(true);
    } finally {
      other.kill();
    }
  });
});
