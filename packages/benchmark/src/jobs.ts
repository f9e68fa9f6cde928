import { join } from 'node:path';
import type { BenchmarkSpec, DataSource, DownstreamSpec, ScheduleName } from './spec.js';

/** What a job does; the order is the pipeline's. */
export type JobKind = 'data' | 'preprocess' | 'pretrain' | 'finetune' | 'evaluate';

/** Where a job's numbers go in the table. */
export interface JobMeta {
  /** Table row: `<method>/<arch>` or `scratch/<arch>`. */
  row?: string;
  method?: string;
  arch?: string;
  dataset?: string;
  task?: 'segmentation' | 'classification';
  schedule?: ScheduleName;
  fold?: number;
  /** Classification: number of cross-validation folds inside the job. */
  folds?: number;
  seed?: number;
}

/** A rough cost: optimizer steps, and voxels pushed through the network (steps × batch × patch). */
export interface JobCost {
  steps: number;
  voxels: number;
  /** Hours, where the spec gives the architecture's throughput. */
  hours?: number;
  note?: string;
}

/** One idempotent unit of work: CLI invocations whose outputs all lie in `dir/out`. */
export interface BenchmarkJob {
  id: string;
  kind: JobKind;
  deps: string[];
  /** `openmind` argument lists, run in order; paths absolute. */
  commands: string[][];
  meta: JobMeta;
  cost: JobCost;
}

/** The folder of a job inside the benchmark folder. */
export const jobDir = (root: string, id: string) => join(root, 'jobs', id);
/** Where a job's commands write. */
export const jobOut = (root: string, id: string) => join(jobDir(root, id), 'out');

const csv = (t: readonly number[]) => t.join(',');
const prod = (t: readonly number[]) => t.reduce((a, b) => a * b, 1);

/** A data source as a job (synthetic data) or a path; `folder` is what downstream commands read. */
interface ResolvedSource {
  job?: BenchmarkJob;
  folder: string;
  /** A test set's images and labels: imagesTs/labelsTs of a given dataset, imagesTr/labelsTr of a synthetic one. */
  images: string;
  labels: string;
}

function sourceOf(root: string, id: string, source: DataSource): ResolvedSource {
  if ('store' in source) return { folder: source.store, images: source.store, labels: source.store };
  if ('path' in source) return { folder: source.path, images: join(source.path, 'imagesTs'), labels: join(source.path, 'labelsTs') };
  const out = jobOut(root, id);
  const s = source.synth;
  const base: Omit<BenchmarkJob, 'commands'> = { id, kind: 'data', deps: [], meta: {}, cost: { steps: 0, voxels: 0, note: 'synthetic data' } };
  if (!('kind' in s)) {
    return {
      job: { ...base, commands: [['data', 'synth', '--out', out, '--subjects', String(s.subjects), '--seed', String(s.seed), '--size', String(s.sizeMm), '--lesion-cases', '0', '--tissue-cases', '0']] },
      folder: out, images: out, labels: out,
    };
  }
  if (s.kind === 'lesion') {
    return {
      job: { ...base, commands: [['data', 'synth', '--out', out, '--subjects', '1', '--seed', String(s.seed), '--size', String(s.sizeMm), '--lesion-cases', String(s.cases), '--tissue-cases', '0']] },
      folder: join(out, 'nnUNet_raw', 'Dataset501_SynthLesion'),
      images: join(out, 'nnUNet_raw', 'Dataset501_SynthLesion', 'imagesTr'),
      labels: join(out, 'nnUNet_raw', 'Dataset501_SynthLesion', 'labelsTr'),
    };
  }
  return {
    job: { ...base, commands: [['data', 'synth', '--task', 'classification', '--out', out, '--cases', String(s.cases), '--size', String(s.size), '--seed', String(s.seed)]] },
    folder: out, images: out, labels: out,
  };
}

function hoursOf(spec: BenchmarkSpec, arch: string | undefined, voxels: number): number | undefined {
  const rate = arch ? spec.throughput?.[arch] : undefined;
  return rate ? voxels / rate / 3600 : undefined;
}

/** A pre-trained or from-scratch row of the table. */
interface Row {
  row: string;
  arch: string;
  method?: string;
  /** The pre-training job (none for scratch). */
  pretrainJob?: string;
  schedules: ScheduleName[];
}

/**
 * Expands a spec into its jobs, in an order where every job comes after its dependencies: data, the
 * pre-training data's preprocessing, one pre-training per method × architecture, then per downstream
 * dataset, row, schedule, fold and seed a fine-tuning job, and (with a test set) an evaluation job that
 * predicts the test cases with that network and scores them.
 * @param root the benchmark folder; every job's outputs lie under root/jobs/<id>/out.
 */
export function expandJobs(spec: BenchmarkSpec, root: string): BenchmarkJob[] {
  const jobs: BenchmarkJob[] = [];
  const gpuDefaults = { iterations: 250, valIterations: 50, patch: [160, 160, 160] as [number, number, number], batch: 2 };

  const pretrainSource = sourceOf(root, 'data-pretrain', spec.pretrainData);
  if (pretrainSource.job) jobs.push(pretrainSource.job);
  const rows: Row[] = [];
  if (spec.methods.length) {
    const preprocessed = 'store' in spec.pretrainData;
    const pre = { id: 'preprocess-pretrain', out: preprocessed ? pretrainSource.folder : jobOut(root, 'preprocess-pretrain') };
    if (!preprocessed) {
      jobs.push({
        id: pre.id, kind: 'preprocess', deps: pretrainSource.job ? [pretrainSource.job.id] : [], meta: {},
        commands: [['preprocess', pretrainSource.folder, '--out', pre.out, '--config', spec.preprocessConfig]],
        cost: { steps: 0, voxels: 0, note: 'one pass over the pre-training images' },
      });
    }
    for (const m of spec.methods) {
      const id = `pretrain-${m.method}-${m.arch}`;
      const p = spec.pretrain;
      const patch = m.patchSize ?? p.patchSize;
      const epochs = m.epochs ?? p.epochs;
      const iterations = m.iterations ?? p.iterations;
      const batch = m.batchSize ?? p.batchSize;
      const steps = epochs * iterations;
      const voxels = steps * batch * prod(patch);
      const hours = hoursOf(spec, m.arch, voxels);
      jobs.push({
        id, kind: 'pretrain', deps: preprocessed ? [] : [pre.id], meta: { row: `${m.method}/${m.arch}`, method: m.method, arch: m.arch },
        commands: [[
          'pretrain', '--data', pre.out, '--method', m.method, '--arch', m.arch, '--epochs', String(epochs), '--iterations', String(iterations),
          '--batch-size', String(batch), '--patch-size', csv(patch), '--seed', String(p.seed), '--val-iterations', String(p.valIterations),
          ...(p.workers ? ['--workers', String(p.workers)] : []), ...(Object.keys(m.config).length ? ['--method-config', JSON.stringify(m.config)] : []),
          ...(spec.backend ? ['--backend', spec.backend] : []), '--resume', '--out', jobOut(root, id),
        ]],
        cost: { steps, voxels, ...(hours !== undefined ? { hours } : {}) },
      });
      rows.push({ row: `${m.method}/${m.arch}`, arch: m.arch, method: m.method, pretrainJob: id, schedules: m.schedules });
    }
  }
  for (const s of spec.scratch) rows.push({ row: `scratch/${s.arch}`, arch: s.arch, schedules: [s.schedule] });

  for (const d of spec.downstream) {
    const data = sourceOf(root, `data-${d.name}`, d.data);
    if (data.job) jobs.push(data.job);
    const test = d.test ? sourceOf(root, `data-${d.name}-test`, d.test) : undefined;
    if (test?.job) jobs.push(test.job);
    for (const r of rows) {
      if (d.task === 'segmentation') jobs.push(...segmentationJobs(spec, root, d, r, data, test, gpuDefaults));
      else jobs.push(...classificationJobs(spec, root, d, r, data));
    }
  }
  return jobs;
}

function rowSlug(r: Row): string {
  return r.method ? `${r.method}-${r.arch}` : `scratch-${r.arch}`;
}

function weightsArgs(r: Row, root: string): string[] {
  return r.pretrainJob ? ['--pretrained', jobOut(root, r.pretrainJob)] : ['--from-scratch', '--arch', r.arch];
}

function segmentationJobs(
  spec: BenchmarkSpec, root: string, d: DownstreamSpec, r: Row, data: ResolvedSource, test: ResolvedSource | undefined,
  gpu: { iterations: number; valIterations: number; patch: [number, number, number]; batch: number },
): BenchmarkJob[] {
  const jobs: BenchmarkJob[] = [];
  const folds = d.folds as number[];
  const dataDeps = [...(data.job ? [data.job.id] : [])];
  for (const schedule of r.schedules) {
    for (const fold of folds) {
      for (const seed of spec.seeds) {
        const id = `finetune-${rowSlug(r)}-${d.name}-${schedule}-f${fold}-s${seed}`;
        const iterations = d.iterations ?? gpu.iterations;
        const patch = d.patchSize ?? gpu.patch;
        const steps = d.epochs * iterations;
        const voxels = steps * (d.batchSize ?? gpu.batch) * prod(patch);
        const hours = hoursOf(spec, r.arch, voxels);
        const meta: JobMeta = { row: r.row, arch: r.arch, ...(r.method ? { method: r.method } : {}), dataset: d.name, task: 'segmentation', schedule, fold, seed };
        jobs.push({
          id, kind: 'finetune', deps: [...(r.pretrainJob ? [r.pretrainJob] : []), ...dataDeps], meta,
          commands: [[
            'finetune', '--task', 'segmentation', '--data', data.folder, ...weightsArgs(r, root), '--schedule', schedule, '--fold', String(fold),
            '--seed', String(seed), '--epochs', String(d.epochs),
            ...(d.iterations !== undefined ? ['--iterations', String(d.iterations)] : []),
            ...(d.valIterations !== undefined ? ['--val-iterations', String(d.valIterations)] : []),
            ...(d.patchSize ? ['--patch-size', csv(d.patchSize)] : []),
            ...(d.batchSize !== undefined ? ['--batch-size', String(d.batchSize)] : []),
            ...(spec.backend ? ['--backend', spec.backend] : []), '--resume', '--no-report', '--out', jobOut(root, id),
          ]],
          cost: { steps, voxels, ...(hours !== undefined ? { hours } : {}), ...(d.iterations === undefined ? { note: 'steps at the GPU default of 250 per epoch' } : {}) },
        });
        if (test) {
          const evalId = `evaluate-${rowSlug(r)}-${d.name}-${schedule}-f${fold}-s${seed}`;
          const out = jobOut(root, evalId);
          jobs.push({
            id: evalId, kind: 'evaluate', deps: [id, ...(test.job ? [test.job.id] : [])], meta,
            commands: [
              ['predict', '--model', jobOut(root, id), '--in', test.images, '--out', join(out, 'predictions'),
                '--step', String(spec.evaluation.step), ...(spec.evaluation.mirroring ? [] : ['--no-mirroring']), ...(spec.backend ? ['--backend', spec.backend] : [])],
              ['evaluate', '--pred', join(out, 'predictions'), '--ref', test.labels, '--out', join(out, 'summary.json')],
            ],
            cost: { steps: 0, voxels: 0, note: 'sliding-window inference over the test cases' },
          });
        }
      }
    }
  }
  return jobs;
}

function classificationJobs(spec: BenchmarkSpec, root: string, d: DownstreamSpec, r: Row, data: ResolvedSource): BenchmarkJob[] {
  const c = d.classification ?? {};
  const k = d.folds as number;
  return spec.seeds.map((seed) => {
    const id = `finetune-${rowSlug(r)}-${d.name}-s${seed}`;
    const meta: JobMeta = { row: r.row, arch: r.arch, ...(r.method ? { method: r.method } : {}), dataset: d.name, task: 'classification', folds: k, seed };
    return {
      id, kind: 'finetune' as const, deps: [...(r.pretrainJob ? [r.pretrainJob] : []), ...(data.job ? [data.job.id] : [])], meta,
      commands: [[
        'finetune', '--task', 'classification', '--data', data.folder, ...(r.pretrainJob ? ['--pretrained', jobOut(root, r.pretrainJob)] : ['--arch', r.arch]),
        '--folds', String(k), '--seed', String(seed), '--epochs', String(d.epochs),
        ...(c.warmup !== undefined ? ['--warmup', String(c.warmup)] : []), ...(c.lr !== undefined ? ['--lr', String(c.lr)] : []),
        ...(c.weightDecay !== undefined ? ['--weight-decay', String(c.weightDecay)] : []),
        ...(c.labelSmoothing !== undefined ? ['--label-smoothing', String(c.labelSmoothing)] : []),
        ...(c.accumulate !== undefined ? ['--accumulate', String(c.accumulate)] : []), ...(c.crop ? ['--crop', csv(c.crop)] : []),
        ...(d.batchSize !== undefined ? ['--batch-size', String(d.batchSize)] : []),
        ...(spec.backend ? ['--backend', spec.backend] : []), '--out', jobOut(root, id),
      ]],
      cost: { steps: 0, voxels: 0, note: `${k} folds × ${d.epochs} epochs (steps depend on the number of cases)` },
    };
  });
}
