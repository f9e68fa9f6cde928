import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

function openmind(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('openmind finetune --task classification', () => {
  it('synthesises a classification dataset, cross-validates a from-scratch classifier and writes the summaries and the ensemble predictions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cli-cls-'));
    const data = join(dir, 'data');
    const synth = openmind(['data', 'synth', '--task', 'classification', '--out', data, '--cases', '6', '--size', '14']);
    expect(synth.err).toContain('6 classification cases');
    expect(synth.code).toBe(0);
    expect(readFileSync(join(data, 'labels.csv'), 'utf8').trim().split('\n')).toHaveLength(7);
    const out = join(dir, 'run');
    const r = openmind(['finetune', '--task', 'classification', '--data', data, '--arch', 'resenc-tiny', '--backend', 'onnxruntime', '--crop', '16', '--epochs', '1', '--warmup', '0', '--folds', '2', '--out', out]);
    expect(r.err).toMatch(/fold 1 epoch 0: loss/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { folds: number; metrics: Record<string, { mean: number; sd: number }> };
    expect(summary.folds).toBe(2);
    expect(Object.keys(summary.metrics)).toContain('balancedAccuracyReference');
    expect(existsSync(join(out, 'fold-1', 'history.json'))).toBe(true);
    const predictions = readFileSync(join(out, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(predictions[0]).toBe('case,anterior-posterior,left-right');
    expect(predictions).toHaveLength(7);
    const report = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    for (const section of ['<figure id="loss"><svg', '<figure id="metric-aurocMacro"><svg', '<figure class="confusion"><svg', '<figure id="roc"><svg']) expect(report).toContain(section);

    // predict with the run folder: both folds' saved networks, the same ensemble as the run's predictions.csv.
    const pred = openmind(['predict', '--model', out, '--in', data, '--out', join(dir, 'pred'), '--backend', 'onnxruntime']);
    expect(pred.out).toContain('classifier ensemble of 2 network(s)');
    expect(pred.code).toBe(0);
    const rows = (text: string) => text.trim().split('\n').map((l) => l.split(','));
    const predicted = rows(readFileSync(join(dir, 'pred', 'probabilities.csv'), 'utf8'));
    const trained = rows(predictions.join('\n'));
    expect(predicted.map((r) => r[0])).toEqual(trained.map((r) => r[0]));
    for (const [i, row] of predicted.slice(1).entries()) row.slice(1).forEach((p, k) => expect(Number(p)).toBeCloseTo(Number(trained[i + 1]![k + 1]), 5));
  }, 480_000);

  it('refuses an unknown task and a bad option value, naming them', () => {
    expect(openmind(['finetune', '--task', 'detection', '--data', 'x']).err).toMatch(/--task must be 'segmentation' or 'classification', got 'detection'/);
    const bad = openmind(['finetune', '--task', 'classification', '--data', 'x', '--finetune', 'partial', '--backend', 'onnxruntime']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/finetune --task classification: finetune:/);
  });
});
