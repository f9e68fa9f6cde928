// The long jobs the kill harness interrupts, each with what "the same end state" means for it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type KillOutcome, type KillSchedule, runOpenmind, runWithKills, treeDifferences, treeDigest } from './kill-harness.js';

/** What a job's run with kills did, against its uninterrupted run. */
export interface JobReport {
  job: string;
  kills: number;
  finishedEarly: number;
  /** Files of the end state that differ from the uninterrupted run's (must be none). */
  differences: string[];
  /** Per kill, work done before the kill that the resumed run had to redo (steps or cases). */
  redone: number[];
  /** The most work a kill may cost: the checkpoint interval (pretrain) or the cases in flight (preprocess). */
  redoBound: number;
  exitCode: number | null;
  stderr: string;
}

async function mustRun(args: string[]): Promise<void> {
  const r = await runOpenmind(args);
  if (r.code !== 0) throw new Error(`openmind ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
}

function report(job: string, outcome: KillOutcome, differences: string[], redone: number[], redoBound: number): JobReport {
  return { job, kills: outcome.kills, finishedEarly: outcome.finishedEarly, differences, redone, redoBound, exitCode: outcome.exitCode, stderr: outcome.stderr };
}

/** Synthetic OpenMind data for the jobs: `subjects` subjects with a `sizeMm` field of view. */
export async function synthesize(root: string, subjects: number, sizeMm: number): Promise<string> {
  const raw = join(root, 'raw');
  if (!existsSync(join(raw, 'OpenMind'))) {
    await mustRun(['data', 'synth', '--out', raw, '--subjects', String(subjects), '--seed', '4', '--size', String(sizeMm), '--lesion-cases', '0']);
  }
  return join(raw, 'OpenMind');
}

/** Modification times of the complete cases of a store folder (a case is complete once its .zarr holds zarr.json). */
function finishedCases(out: string): Map<string, number> {
  const found = new Map<string, number>();
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const meta = join(d, e.name, 'zarr.json');
      if (e.name.endsWith('.zarr') && !e.name.startsWith('.')) {
        if (existsSync(meta)) found.set(meta, statSync(meta).mtimeMs);
      } else walk(join(d, e.name));
    }
  };
  walk(out);
  return found;
}

/** The store of an uninterrupted preprocess of `raw` under `root` (made now if the preprocess job has not run). */
export async function preprocessedStore(root: string, raw: string): Promise<string> {
  const reference = join(root, 'preprocess-reference');
  if (!existsSync(join(reference, 'nnsslPlans_onemmiso', 'manifest.json'))) await mustRun(['preprocess', raw, '--out', reference, '--workers', '1']);
  return join(reference, 'nnsslPlans_onemmiso');
}

/**
 * `openmind preprocess`, killed and rerun: the store must be byte-identical to an uninterrupted one, and a
 * case finished before a kill is never written again (redone counts those that were).
 */
export async function preprocessJob(root: string, raw: string, schedule: KillSchedule): Promise<JobReport> {
  const args = (out: string) => ['preprocess', raw, '--out', out, '--workers', '1'];
  const reference = join(root, 'preprocess-reference');
  const killed = join(root, 'preprocess-killed');
  rmSync(killed, { recursive: true, force: true });
  await preprocessedStore(root, raw);
  const atKill: Map<string, number>[] = [];
  const outcome = await runWithKills({
    name: 'preprocess', start: args(killed), resume: args(killed),
    progress: () => finishedCases(killed).size,
    afterKill: () => { atKill.push(finishedCases(killed)); },
  }, schedule);
  const end = finishedCases(killed);
  const redone = atKill.map((cases) => [...cases].filter(([file, mtime]) => end.get(file) !== mtime).length);
  const differences = treeDifferences(treeDigest(reference), treeDigest(killed));
  return report('preprocess', outcome, differences, redone, 0);
}

interface MetricsLine { step: number; loss: number }
const readMetrics = (run: string): MetricsLine[] => existsSync(join(run, 'metrics.jsonl'))
  ? readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as MetricsLine)
  : [];
const latestCheckpointStep = (run: string): number => {
  const dir = join(run, 'checkpoints');
  if (!existsSync(dir)) return 0;
  const steps = readdirSync(dir).filter((n) => /^step-\d+$/.test(n)).map((n) => Number(n.slice(5)));
  return steps.length ? Math.max(...steps) : 0;
};

/** The arguments of the pretrain job (a small MAE run on resenc-tiny), writing to `out`. */
export function pretrainArgs(store: string, out: string, steps: { epochs: number; iterations: number; checkpointEvery: number }): string[] {
  return [
    'pretrain', '--data', store, '--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16', '--method-config', '{"blockSize":4}',
    '--workers', '1', '--batch-size', '2', '--epochs', String(steps.epochs), '--iterations', String(steps.iterations),
    '--checkpoint-every', String(steps.checkpointEvery), '--no-report', '--out', out,
  ];
}

/**
 * `openmind pretrain`, killed and resumed: the final weights must be bit-identical to an uninterrupted run
 * and metrics.jsonl the same lines (no step lost or repeated). A kill may cost the steps since the last
 * checkpoint: at most `checkpointEvery`.
 */
export async function pretrainJob(root: string, store: string, schedule: KillSchedule, steps = { epochs: 2, iterations: 8, checkpointEvery: 2 }): Promise<JobReport> {
  const args = (out: string) => pretrainArgs(store, out, steps);
  const reference = join(root, 'pretrain-reference');
  const killed = join(root, 'pretrain-killed');
  rmSync(reference, { recursive: true, force: true });
  rmSync(killed, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  await mustRun(args(reference));
  const redone: number[] = [];
  const outcome = await runWithKills({
    name: 'pretrain', start: args(killed), resume: [...args(killed), '--resume'],
    progress: () => readMetrics(killed).length,
    // Steps logged past the last checkpoint are the work this kill cost.
    afterKill: () => {
      const logged = readMetrics(killed).at(-1)?.step ?? 0;
      redone.push(Math.max(0, logged - latestCheckpointStep(killed)));
    },
  }, schedule);
  const final = (run: string) => join(run, 'checkpoints', `step-${String(steps.epochs * steps.iterations).padStart(8, '0')}`);
  const differences = treeDifferences(
    treeDigest(final(reference)),
    treeDigest(final(killed)),
  );
  const a = readMetrics(reference);
  const b = readMetrics(killed);
  if (JSON.stringify(a) !== JSON.stringify(b)) differences.push('metrics.jsonl');
  return report('pretrain', outcome, differences, redone, steps.checkpointEvery);
}

/** Synthetic nnU-Net segmentation data for the finetune job: `cases` lesion cases of 32³ voxels. */
export async function synthesizeSegmentation(root: string, cases: number): Promise<string> {
  const raw = join(root, 'seg-raw');
  const dataset = join(raw, 'nnUNet_raw', 'Dataset501_SynthLesion');
  if (!existsSync(join(dataset, 'dataset.json'))) {
    await mustRun(['data', 'synth', '--out', raw, '--subjects', '1', '--seed', '4', '--size', '32', '--lesion-cases', String(cases), '--tissue-cases', '0']);
  }
  return dataset;
}

/** The arguments of the finetune job (segmentation, resenc-tiny from scratch, 16³ patches), writing to `out`. */
export function finetuneArgs(dataset: string, out: string, steps: { epochs: number; iterations: number; checkpointEvery: number }): string[] {
  return [
    'finetune', '--task', 'segmentation', '--data', dataset, '--from-scratch', '--arch', 'resenc-tiny', '--backend', 'onnxruntime',
    '--patch-size', '16', '--batch-size', '2', '--val-iterations', '1', '--seed', '3', '--epochs', String(steps.epochs),
    '--iterations', String(steps.iterations), '--checkpoint-every', String(steps.checkpointEvery), '--no-report', '--out', out,
  ];
}

/** The step a segmentation run folder's checkpoint_latest (or checkpoint_final) was saved at; 0 before the first. */
function finetuneCheckpointStep(run: string): number {
  for (const name of ['checkpoint_latest', 'checkpoint_final']) {
    const file = join(run, name, 'checkpoint.json');
    if (!existsSync(file)) continue;
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { step: number }).step;
    } catch {
      return 0; // replaced between the check and the read
    }
  }
  return 0;
}
const readEpochLog = (run: string): { step: number }[] => existsSync(join(run, 'training_log.jsonl'))
  ? readFileSync(join(run, 'training_log.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { step: number })
  : [];
const preprocessedCases = (run: string): number => existsSync(join(run, 'preprocessed', 'cases'))
  ? readdirSync(join(run, 'preprocessed', 'cases')).filter((n) => n.endsWith('.json')).length
  : 0;

/**
 * `openmind finetune --task segmentation`, killed (during its preprocessing or its training) and resumed:
 * the whole run folder — preprocessed cases, plan, split, training_log.jsonl, checkpoint_best,
 * checkpoint_final, the final validation's predictions and summary — must be byte-identical to an
 * uninterrupted run's. The epoch log is written per epoch, so what a kill cost is counted in epoch lines
 * logged past the last checkpoint (which the resume drops and writes again): at most one.
 */
export async function finetuneJob(root: string, dataset: string, schedule: KillSchedule, steps = { epochs: 4, iterations: 6, checkpointEvery: 2 }): Promise<JobReport> {
  const args = (out: string) => finetuneArgs(dataset, out, steps);
  const reference = join(root, 'finetune-reference');
  const killed = join(root, 'finetune-killed');
  rmSync(reference, { recursive: true, force: true });
  rmSync(killed, { recursive: true, force: true });
  await mustRun(args(reference));
  const redone: number[] = [];
  const outcome = await runWithKills({
    name: 'finetune', start: args(killed), resume: [...args(killed), '--resume'],
    progress: () => preprocessedCases(killed) + finetuneCheckpointStep(killed),
    afterKill: () => {
      const saved = finetuneCheckpointStep(killed);
      redone.push(readEpochLog(killed).filter((r) => r.step > saved).length);
    },
  }, schedule);
  const differences = treeDifferences(treeDigest(reference), treeDigest(killed));
  return report('finetune', outcome, differences, redone, 1);
}
