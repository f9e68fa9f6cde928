import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import type { BenchmarkJob } from './jobs.js';

/** One number of the table: a metric of one fold and seed. */
export interface Measurement {
  metric: 'dice' | 'balancedAccuracy' | 'auroc';
  fold: number;
  seed: number;
  value: number;
}

/** One epoch of a segmentation fine-tuning curve. */
export interface CurvePoint {
  epoch: number;
  trainLoss: number | null;
  valLoss: number | null;
  pseudoDice: number | null;
}

/** What a finished job contributes to the report. */
export interface JobResult {
  /** Where the numbers come from: the fold's validation cases, a test set, or cross-validation folds. */
  source?: 'validation' | 'test' | 'cross-validation';
  measurements: Measurement[];
  curve?: CurvePoint[];
}

/** nnU-Net's summary.json writes NaN as Python does (a bare NaN), which JSON.parse refuses. */
function readPythonJson<T>(file: string): T {
  if (!existsSync(file)) throw new OpenMindError(`${file} is missing: the job's command finished without writing it`);
  return JSON.parse(readFileSync(file, 'utf8').replace(/\bNaN\b/g, 'null').replace(/-?\bInfinity\b/g, 'null')) as T;
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);

/**
 * Reads a finished job's numbers from its output folder `out`.
 * @throws OpenMindError naming the file when an expected output is missing.
 */
export function extractResult(job: BenchmarkJob, out: string): JobResult {
  const m = job.meta;
  if (job.kind === 'finetune' && m.task === 'segmentation') {
    const curve: CurvePoint[] = [];
    const log = join(out, 'training_log.jsonl');
    if (existsSync(log)) {
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { epoch: number; trainLoss?: number; valLoss?: number | null; meanPseudoDice?: number | null };
        curve.push({ epoch: r.epoch, trainLoss: r.trainLoss ?? null, valLoss: r.valLoss ?? null, pseudoDice: r.meanPseudoDice ?? null });
      }
    }
    const summaryFile = join(out, 'validation', 'summary.json');
    const measurements: Measurement[] = existsSync(summaryFile)
      ? [{ metric: 'dice', fold: m.fold!, seed: m.seed!, value: num(readPythonJson<{ foreground_mean: { Dice: unknown } }>(summaryFile).foreground_mean.Dice) }]
      : [];
    return { source: 'validation', measurements, curve };
  }
  if (job.kind === 'evaluate') {
    const s = readPythonJson<{ foreground_mean: { Dice: unknown } }>(join(out, 'summary.json'));
    return { source: 'test', measurements: [{ metric: 'dice', fold: m.fold!, seed: m.seed!, value: num(s.foreground_mean.Dice) }] };
  }
  if (job.kind === 'finetune' && m.task === 'classification') {
    const measurements: Measurement[] = [];
    for (let fold = 0; fold < (m.folds ?? 0); fold++) {
      const s = readPythonJson<{ final: Record<string, unknown> }>(join(out, `fold-${fold}`, 'summary.json'));
      measurements.push({ metric: 'balancedAccuracy', fold, seed: m.seed!, value: num(s.final['balancedAccuracy']) });
      measurements.push({ metric: 'auroc', fold, seed: m.seed!, value: num(s.final['aurocMacro']) });
    }
    return { source: 'cross-validation', measurements };
  }
  return { measurements: [] };
}
