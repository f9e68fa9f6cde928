import { appendFileSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  acquireRunLock, type Backend, createSslMethod, type DataPipeline, formatDuration, type HostBatch, latestCheckpoint, OpenMindError, ProgressBar, Rng, selectBackend,
  setBackend, type SSLMethod, SSLMethodId, Trainer, writeFileAtomic,
} from '@openmind-ssl/core';
import { checkStoreConsistency, PatchLoader, readStorePretrainPlan } from '@openmind-ssl/data';
import { type Command, intOption, tripleOption } from '../args.js';
import { patchBatchSource, toHostBatch, validationBatchSource } from '../batch-source.js';
import { resolveStore } from '../data-source.js';
import { parseRunConfig, type RunConfigFile } from '../run-config.js';
import { backendProviders, loadPlugins, runtimeOf } from '../plugins.js';
import { hasReportPanels, writeMethodPanels } from '../report/method-panels.js';
import { canReconstruct, writeReconstructionPreviews } from '../report/reconstruction-previews.js';
import { type PreviewSet, writeReport } from '../report/write-report.js';
import { validationSplit } from '../validation-split.js';

/** Reads --config; a file that is missing or not JSON is named in the error. */
async function readRunConfig(file: string): Promise<RunConfigFile> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new OpenMindError(`--config: cannot read '${file}' (${e.code ?? e.message})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OpenMindError(`--config: '${file}' is not valid JSON (${(e as Error).message}); expected {"plugins": [...], "method": "...", "arch": "...", "methodConfig": {...}}`);
  }
  return parseRunConfig(json, file);
}

/**
 * A new run must not start in a folder that holds another run's checkpoints: checkpoint pruning keeps the
 * highest step numbers, so the old run's could displace the new run's.
 */
async function refuseForeignCheckpoints(runDir: string): Promise<void> {
  const latest = await latestCheckpoint(join(runDir, 'checkpoints'));
  if (latest !== undefined) {
    throw new OpenMindError(`--out: '${runDir}' already holds checkpoints of an earlier run (${basename(latest)}). Pass --resume to continue that run, or choose another --out.`);
  }
}

/**
 * The trained configuration of the plan `openmind preprocess` wrote beside the store (nnsslPlans.json), or
 * {} with a warning for a store made elsewhere.
 */
function pretrainPlanOf(store: string): Record<string, unknown> {
  const plan = readStorePretrainPlan(store);
  if (plan) return plan;
  process.stderr.write(`warning: no nnsslPlans.json beside ${store}; adaptation_plan.json gets an empty pretrain_plan, which nnU-Net's plan transfer cannot use\n`);
  return {};
}

/** Defaults for a CPU (or software GPU) and for a real GPU: nnssl's sizes need a GPU. */
function machineDefaults(backend: Backend) {
  const cpu = backend.capabilities.device !== 'gpu';
  return cpu
    ? { patch: [64, 64, 64] as [number, number, number], batch: 2, epochs: 10, iterations: 50, valIterations: 5, preset: 'resenc-small' }
    : { patch: [160, 160, 160] as [number, number, number], batch: 2, epochs: 1000, iterations: 250, valIterations: 50, preset: 'resenc-l' };
}

export const pretrainCommand: Command = {
  name: 'pretrain',
  summary: 'Pre-train a network with a self-supervised method on a dataset.',
  usage: 'pretrain --data <path> [--method mae] [--arch <preset>] [--backend <name>] [--out <dir>] [options]',
  description: [
    '--data takes a preprocessed store, a pretrain_data.json, an OpenMind root (openneuro_metadata.csv) or a',
    'folder of NIfTI files; anything not preprocessed is preprocessed into <out>/preprocessed first.',
    'Without --epochs/--iterations/--patch-size/--arch, sizes follow the backend: CPU backends get a',
    'resenc-small at 64³, 10 epochs × 50 steps; GPU backends nnssl\'s resenc-l at 160³, 1000 × 250.',
    'Subjects are split into train and validation as nnssl does (5 or 1 % held out, seed 12345; a',
    'splits_final.json beside the store is used instead); with fewer than 5 subjects all of them train.',
    'The run folder gets metrics.jsonl (one line per step), val.jsonl (validation loss per epoch),',
    'splits_final.json, checkpoints/, adaptation_plan.json and report/index.html: loss and validation',
    'curves for every method, reconstruction previews where the method can reconstruct, and any panels',
    'the method adds. --arch is looked up in the presets of the loaded architecture plugins; the',
    'network\'s input channels are those of the data.',
  ].join('\n'),
  options: {
    data: { type: 'string', help: 'dataset to train on', value: '<path>' },
    method: { type: 'string', help: 'SSL method id', defaultText: 'mae', value: '<id>' },
    arch: { type: 'string', help: 'architecture preset (see `openmind plugins`: resenc-tiny, resenc-l, primus-m, …)', defaultText: 'by backend', value: '<preset>' },
    backend: { type: 'string', help: 'compute backend (see `openmind backends`)', defaultText: '$OPENMIND_BACKEND or the best available', value: '<name>' },
    out: { type: 'string', help: 'run folder', defaultText: 'runs/<method>-<arch>', value: '<dir>' },
    epochs: { type: 'string', help: 'number of epochs', defaultText: 'by backend', value: '<n>' },
    iterations: { type: 'string', help: 'steps per epoch', defaultText: 'by backend', value: '<n>' },
    'batch-size': { type: 'string', help: 'samples per step', defaultText: '2', value: '<n>' },
    'patch-size': { type: 'string', help: 'network input size: 64 or 64,64,48', defaultText: 'by backend', value: '<d[,h,w]>' },
    seed: { type: 'string', help: 'seed of weights, data order, masks', defaultText: '0', value: '<n>' },
    workers: { type: 'string', help: 'data-loading threads', defaultText: 'cores − 1', value: '<n>' },
    'checkpoint-every': { type: 'string', help: 'save a checkpoint every n steps', defaultText: 'each epoch', value: '<n>' },
    'update-chunk-mb': { type: 'string', help: "evaluate the optimizer update apart, in chunks of this many MB of parameters (less memory for big models on onnxruntime); 'off': in the step's graph; 'auto': 64 MB chunks for models of 512 MB of parameters or more (Primus-M)", defaultText: 'auto', value: '<n|auto|off>' },
    'val-iterations': { type: 'string', help: 'validation batches after each epoch (0: no validation)', defaultText: '5 on CPU, 50 (nnssl) on GPU', value: '<n>' },
    'anatomy-oversampling': { type: 'string', help: 'fraction of crops centred on anatomy voxels', defaultText: '0', value: '<p>' },
    resume: { type: 'boolean', help: 'continue from the latest checkpoint of --out' },
    plugin: { type: 'string', multiple: true, help: 'load a plugin package (method, architecture, backend)', value: '<package>' },
    config: { type: 'string', help: 'JSON file: {"plugins": [...], "method": "...", "arch": "...", "methodConfig": {...}}', value: '<file>' },
    'method-config': { type: 'string', help: 'method options as JSON, over those of --config (e.g. \'{"maskRatio":0.6}\')', value: '<json>' },
    'no-report': { type: 'boolean', help: 'skip report/index.html' },
  },
  examples: [
    'openmind pretrain --data sample-data --arch resenc-tiny --epochs 5 --out runs/mae-tiny',
    'openmind pretrain --data pretrain_data.json --backend onnxruntime --resume --out runs/mae-l',
  ],
  async run(values) {
    const file: RunConfigFile = values.config ? await readRunConfig(String(values.config)) : {};
    if (!values.data) throw new OpenMindError("openmind pretrain: --data is required (see 'openmind pretrain --help')");
    const loaded = await loadPlugins([...(file.plugins ?? []), ...((values.plugin as string[] | undefined) ?? [])]);
    const rt = runtimeOf(loaded);
    const backend = await selectBackend(backendProviders(rt), values.backend as string | undefined);
    setBackend(backend);
    const d = machineDefaults(backend);
    const methodId = String(values.method ?? file.method ?? 'mae');
    const preset = String(values.arch ?? file.arch ?? d.preset);
    const patch = tripleOption(values, 'patch-size', d.patch);
    const epochs = intOption(values, 'epochs', d.epochs);
    const iterations = intOption(values, 'iterations', d.iterations);
    const valIterations = intOption(values, 'val-iterations', d.valIterations);
    const batchSize = intOption(values, 'batch-size', d.batch);
    const seed = intOption(values, 'seed', 0);
    const workers = intOption(values, 'workers', Math.max(1, availableParallelism() - 1));
    const updateChunkBytes = updateChunkOption(values['update-chunk-mb']);
    const anatomyOversampling = Number(values['anatomy-oversampling'] ?? 0);
    if (!(anatomyOversampling >= 0 && anatomyOversampling <= 1)) {
      throw new OpenMindError(`--anatomy-oversampling: expected a fraction from 0 to 1, got '${String(values['anatomy-oversampling'])}'`);
    }
    const runDir = resolve(String(values.out ?? join('runs', `${methodId}-${preset}`)));
    if (!values.resume) await refuseForeignCheckpoints(runDir);
    await mkdir(runDir, { recursive: true });
    // One run per folder: a second run started on the same --out is refused, not interleaved.
    const lock = acquireRunLock(runDir);
    try {

      // Method and architecture first, so a misspelt name fails before any preprocessing.
      const factory = rt.resolve(SSLMethodId, methodId);
      const { family, factory: architecture } = rt.architectureOf(preset);
      const store = await resolveStore(String(values.data), join(runDir, 'preprocessed'));
      // Before the first step: every case batches with every other, and the network takes their channels.
      const inChannels = checkStoreConsistency(store).channels;
      const plans = pretrainPlanOf(store);
      const methodConfig = { ...file.methodConfig, ...parseJsonOption(values['method-config']) };
      const method = createSslMethod(factory, {
        config: methodConfig, architecture, preset, inChannels, patchSize: patch, rng: new Rng(seed), pretrainPlan: plans,
      });
      const settings = {
        method: methodId, methodConfig, arch: preset, architecture: family, inChannels, backend: backend.name, data: String(values.data), store,
        patch, batchSize, epochs, iterationsPerEpoch: iterations, seed, workers, parameters: method.network.parameterCount(),
      };
      await writeFileAtomic(join(runDir, 'run.json'), JSON.stringify(settings, null, 2));
      process.stderr.write(`pretrain: ${methodId} on ${preset} (${settings.parameters.toLocaleString('en')} parameters, ${inChannels} input channel${inChannels > 1 ? 's' : ''}), backend ${backend.name}, patch ${patch.join('×')}, batch ${batchSize}, ${epochs} epochs × ${iterations} steps → ${runDir}\n`);

      const split = valIterations > 0 ? await validationSplit(store, runDir) : { skipped: '--val-iterations 0' };
      if ('skipped' in split) process.stderr.write(`validation: none (${split.skipped}); every case trains\n`);
      else process.stderr.write(`validation: ${split.val.length} of ${split.train.length + split.val.length} cases held out (${split.file}), ${valIterations} batches per epoch\n`);
      const loading = {
        store, batchSize, patchSize: patch, pipeline: method.dataPipeline?.(), seed, workers, iterationsPerEpoch: iterations,
        anatomyOversampling, ...('train' in split ? { caseIds: split.train } : {}),
      };
      const source = patchBatchSource(loading);
      const val = 'val' in split ? validationBatchSource(loading, split.val, valIterations) : undefined;
      const valLog = join(runDir, 'val.jsonl');
      if (!values.resume) await rm(valLog, { force: true });
      const report = !values['no-report'];
      const previews: PreviewSet[] = [];
      const previewBatch = report && hasPictures(method) ? await fixedBatch(store, batchSize, patch, seed, loading.pipeline) : undefined;
      const reportDir = join(runDir, 'report');
      if (previewBatch && !values.resume) {
        await mkdir(reportDir, { recursive: true });
        previews.push(...await methodPictures(method, previewBatch, reportDir, 'start', 'before training'));
      }
      const bar = new ProgressBar('pretrain', epochs * iterations);
      const trainer = new Trainer({
        method, train: source, epochs, iterationsPerEpoch: iterations, runDir, seed,
        ...(val ? { val, valIterations } : {}),
        updateChunkBytes,
        ...(values['checkpoint-every'] ? { checkpointEvery: intOption(values, 'checkpoint-every', iterations) } : {}),
        config: settings,
        onEvent: (e) => {
          if (e.type === 'step') bar.update(e.step, `epoch ${e.epoch + 1}/${epochs} loss ${e.loss.toPrecision(4)} lr ${e.lr.toExponential(2)} ${e.stepsPerSecond.toFixed(2)} it/s`);
          else if (e.type === 'epoch') {
            const valText = e.valLoss !== undefined ? `, validation loss ${e.valLoss.toPrecision(4)}` : '';
            bar.log(`epoch ${e.epoch + 1}/${epochs}: mean loss ${e.trainLoss.toPrecision(4)}${valText} (${formatDuration(e.seconds)})`);
            if (e.valLoss !== undefined) appendFileSync(valLog, `${JSON.stringify({ epoch: e.epoch, step: (e.epoch + 1) * iterations, val_loss: e.valLoss })}\n`);
          }
          else if (e.type === 'nan') bar.log(`step ${e.step}: non-finite loss, update skipped (${e.countThisEpoch} this epoch)`);
          else if (e.type === 'start' && e.resumedFrom) bar.log(`resuming from ${e.resumedFrom} (step ${e.step})`);
        },
      });
      try {
        await trainer.run({ resume: Boolean(values.resume) });
      } finally {
        await source.close();
        await val?.close();
      }
      if (report) {
        await mkdir(reportDir, { recursive: true });
        if (previewBatch) previews.push(...await methodPictures(method, previewBatch, reportDir, 'end', 'after training'));
        const page = await writeReport(runDir, { title: `${methodId} pre-training on ${preset}`, settings, previews });
        process.stderr.write(`report: ${page}\n`);
      }
      await backend.close();
      return 0;
    } finally {
      lock.release();
    }
  },
};

/** Whether the method can show anything beyond the loss curves (its report capabilities). */
function hasPictures(method: SSLMethod): boolean {
  return canReconstruct(method) || hasReportPanels(method);
}

/**
 * The report pictures of one stage, from the method's capabilities only: reconstruction previews where it
 * can reconstruct, then the panels it adds itself.
 */
async function methodPictures(method: SSLMethod, batch: HostBatch, reportDir: string, tag: string, stage: string): Promise<PreviewSet[]> {
  const sets: PreviewSet[] = [];
  if (canReconstruct(method)) sets.push(await writeReconstructionPreviews(method, batch, reportDir, tag, `Reconstruction ${stage}`));
  if (hasReportPanels(method)) sets.push(...await writeMethodPanels(method, batch, reportDir, tag, stage));
  return sets;
}

function parseJsonOption(v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  try {
    return JSON.parse(String(v)) as Record<string, unknown>;
  } catch {
    throw new OpenMindError(`--method-config: not valid JSON: ${String(v)}`);
  }
}

/**
 * One unaugmented batch at the network patch size, the same for the start and end previews. A multi-view
 * method gets its loader crop cut into its views (without their augmentations), as its panels need them.
 */
async function fixedBatch(store: string, batchSize: number, patch: [number, number, number], seed: number, pipeline: DataPipeline | undefined) {
  const views = pipeline?.views ? { loaderPatch: [...pipeline.loaderPatchSize] as [number, number, number], views: { sampler: pipeline.views.sampler, views: pipeline.views.views.map(({ augmentation: _, ...v }) => v) } } : undefined;
  const loader = await PatchLoader.open({
    store, batchSize, patchSize: views?.loaderPatch ?? patch, seed: seed + 7919, workers: 0, anatomyOversampling: 1, ...(views ? { views: views.views } : {}),
  });
  try {
    return toHostBatch(await loader.next());
  } finally {
    await loader.close();
  }
}

/** --update-chunk-mb: 'auto' (default), 'off', or a positive number of MB, as the trainer's updateChunkBytes. */
function updateChunkOption(value: unknown): number | 'auto' | 'off' {
  const text = String(value ?? 'auto');
  if (text === 'auto' || text === 'off') return text;
  const mb = Number(text);
  if (!Number.isInteger(mb) || mb <= 0) throw new OpenMindError(`--update-chunk-mb: expected a positive whole number of MB, 'auto' or 'off', got '${text}'`);
  return mb * 2 ** 20;
}
