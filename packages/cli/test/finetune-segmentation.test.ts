// `openmind finetune` (segmentation) end to end on synthetic nnU-Net data: a pre-trained MAE checkpoint
// fine-tuned, its artifacts, a 2-channel dataset from a 1-channel checkpoint, predict → evaluate on the run,
// and a SIGKILL + --resume that continues the same curve.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');
const node = [process.execPath, '--conditions=@openmind-ssl/source', '--import', 'tsx', bin] as const;

function openmind(args: string[]) {
  const r = spawnSync(node[0], [...node.slice(1), ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let root = '';
let lesion = '';
let tissue = '';
let mae = '';
const small = ['--backend', 'onnxruntime', '--patch-size', '16', '--batch-size', '2', '--val-iterations', '2', '--seed', '3'];
const log = (run: string) => readFileSync(join(run, 'training_log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; trainLoss: number; valLoss: number });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'om-finetune-'));
  const synth = openmind(['data', 'synth', '--out', join(root, 'synth'), '--subjects', '3', '--size', '32', '--lesion-cases', '6', '--tissue-cases', '5']);
  expect(synth.code, synth.err).toBe(0);
  lesion = join(root, 'synth', 'nnUNet_raw', 'Dataset501_SynthLesion');
  tissue = join(root, 'synth', 'nnUNet_raw', 'Dataset502_SynthTissue');
  const pre = openmind(['preprocess', join(root, 'synth', 'OpenMind'), '--out', join(root, 'pre'), '--workers', '1']);
  expect(pre.code, pre.err).toBe(0);
  mae = join(root, 'mae');
  const pt = openmind(['pretrain', '--data', join(root, 'pre', 'nnsslPlans_onemmiso'), '--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16',
    '--method-config', '{"blockSize":4}', '--epochs', '1', '--iterations', '3', '--workers', '1', '--no-report', '--out', mae]);
  expect(pt.code, pt.err).toBe(0);
}, 600_000);

describe('openmind finetune (segmentation)', () => {
  it('should fine-tune an MAE checkpoint: log per epoch, final checkpoint, full-size validation summary and a report with per-case Dice', () => {
    const run = join(root, 'ft');
    const r = openmind(['finetune', '--data', lesion, '--pretrained', mae, '--epochs', '2', '--iterations', '3', ...small, '--out', run]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('encoder and stem loaded from');
    expect(r.err).toMatch(/fold 0: 4 training, 2 validation cases; schedule warm-up/);
    expect(log(run).map((l) => l.epoch)).toEqual([0, 1]);
    expect(existsSync(join(run, 'checkpoint_final', 'model.safetensors'))).toBe(true);
    expect(JSON.parse(readFileSync(join(run, 'splits_final.json'), 'utf8'))).toHaveLength(5);
    const summary = JSON.parse(readFileSync(join(run, 'validation', 'summary.json'), 'utf8').replace(/\bNaN\b/g, 'null')) as { metric_per_case: unknown[] };
    expect(summary.metric_per_case).toHaveLength(2);
    const page = readFileSync(join(run, 'report', 'index.html'), 'utf8');
    expect(page).toContain('<img src="pseudo-dice.svg"');
    expect(page).toContain('<img src="lr.svg"');
    expect(page).toMatch(/Final validation \(full size, 2 cases\)/);
    expect((page.match(/<tr><td>synthlesion_\d+<\/td>/g) ?? [])).toHaveLength(2);

    // The fine-tuned run predicts new scans and is scored by evaluate.
    const pred = join(root, 'pred');
    const p = openmind(['predict', '--model', run, '--in', join(lesion, 'imagesTr'), '--out', pred, '--no-mirroring', '--backend', 'onnxruntime']);
    expect(p.code, p.err).toBe(0);
    const e = openmind(['evaluate', '--pred', pred, '--ref', join(lesion, 'labelsTr'), '--out', join(pred, 'summary.json')]);
    expect(e.code, e.err).toBe(0);
    expect(existsSync(join(pred, 'summary.json'))).toBe(true);
  }, 600_000);

  it('should fine-tune a 2-channel, 5-label dataset from the 1-channel checkpoint, repeating the input projection', () => {
    const run = join(root, 'ft-tissue');
    const r = openmind(['finetune', '--data', tissue, '--pretrained', mae, '--schedule', 'sawtooth', '--epochs', '2', '--iterations', '2', ...small, '--no-validation', '--out', run]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('input projection repeated over 2 channels, divided by 2');
    const plan = JSON.parse(readFileSync(join(run, 'plan.json'), 'utf8')) as { channelNames: string[]; numClasses: number };
    expect(plan.channelNames).toHaveLength(2);
    expect(plan.numClasses).toBe(5);
  }, 600_000);

  it('should continue the same curve after SIGKILL and --resume', async () => {
    const args = ['finetune', '--data', lesion, '--pretrained', mae, '--epochs', '3', '--iterations', '3', '--checkpoint-every', '1', ...small, '--no-validation', '--no-report'];
    const full = join(root, 'ft-full');
    expect(openmind([...args, '--out', full]).code).toBe(0);
    const killed = join(root, 'ft-killed');
    const child = spawn(node[0], [...node.slice(1), ...args, '--out', killed], { cwd: repo, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        // Past the first epoch and with a step checkpoint saved: the resume must start mid-run.
        const file = join(killed, 'training_log.jsonl');
        if (existsSync(file) && existsSync(join(killed, 'checkpoint_latest', 'checkpoint.json'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
    });
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(killed, 'checkpoint_final'))).toBe(false);
    const resumed = openmind([...args, '--out', killed, '--resume']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toContain('resuming from');
    const a = log(full);
    const b = log(killed);
    expect(b.map((l) => l.epoch)).toEqual(a.map((l) => l.epoch));
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.trainLoss, `epoch ${i}`).toBeCloseTo(a[i]!.trainLoss, 5);
      expect(b[i]!.valLoss, `epoch ${i}`).toBeCloseTo(a[i]!.valLoss, 5);
    }
  }, 600_000);

  it('should refuse --pretrained with --from-scratch, and a folder without dataset.json, with exit 2', () => {
    const both = openmind(['finetune', '--data', lesion, '--pretrained', mae, '--from-scratch', '--out', join(root, 'x')]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--from-scratch and --pretrained exclude each other/);
    const none = openmind(['finetune', '--data', root, '--pretrained', mae, '--out', join(root, 'y')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/dataset\.json must exist/);
  }, 300_000);
});
