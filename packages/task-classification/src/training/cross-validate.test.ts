import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { adaptationPlanOf, noGrad, Rng, setBackend, softmax, tensor } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classificationConfigSchema } from '../config.js';
import { openClassificationDataset } from '../data/classification-dataset.js';
import { generateClassificationDataset } from '../synth/synth-classification.js';
import { crossValidateClassifier, meanSd } from './cross-validate.js';
import { multiclassMetrics } from '../metrics/classification-metrics.js';
import { classifierCheckpointDirs, loadClassifierModel } from '../model/classifier-model.js';
import { findClassificationInputs, predictClassifier } from '../predict/predict-classifier.js';
import { ensembleProbabilities, probabilitiesCsv } from './ensemble.js';

const roots: string[] = [];
beforeAll(async () => {
  const backend = new OnnxRuntimeBackend();
  await backend.init();
  setBackend(backend);
});
afterAll(async () => { for (const r of roots) await rm(r, { recursive: true, force: true }); });

describe('crossValidateClassifier', () => {
  it('trains one network per fold, writes per-fold and overall summaries (mean ± sd), and ensembles the folds by summed logits', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cls-cv-'));
    const out = await mkdtemp(join(tmpdir(), 'cls-cv-out-'));
    roots.push(root, out);
    await generateClassificationDataset(root, { cases: 6, size: 14, seed: 2 });
    const config = classificationConfigSchema.parse({ cropSize: [16, 16, 16], epochs: 1, warmupEpochs: 0, folds: 3, batchSize: 2 });
    const dataset = await openClassificationDataset(root, { spacing: [1, 1, 1], cropSize: config.cropSize, normalization: config.normalization });
    const patch = [16, 16, 16] as const;
    const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: patch, rng: new Rng(0) }), { inChannels: 1, patchSize: patch });
    const r = await crossValidateClassifier({ dataset, config, plan, architectures: resencFactory, seed: 4, outDir: out });
    expect(r.folds).toHaveLength(3);
    expect(r.folds.flatMap((f) => f.val).sort()).toEqual([...dataset.caseIds]);
    const written = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as { folds: number; metrics: Record<string, { mean: number; sd: number }> };
    expect(written.folds).toBe(3);
    expect(written.metrics['balancedAccuracy']).toEqual(meanSd(r.folds.map((f) => f.final.balancedAccuracy)));
    const fold0 = JSON.parse(await readFile(join(out, 'fold-0', 'summary.json'), 'utf8')) as { val: string[] };
    expect(fold0.val).toEqual(r.folds[0]!.val);

    const cases = await Promise.all(dataset.caseIds.slice(0, 2).map((id) => dataset.read(id)));
    const probs = await ensembleProbabilities(r.networks, cases, false);
    for (const [i, c] of cases.entries()) {
      const x = tensor(c.image, [1, ...c.shape]);
      const expected = await noGrad(() => softmax(r.networks.map((n) => n.forward(x)).reduce((a, b) => a.add(b)), 1)).floats();
      expected.forEach((v, k) => expect(probs[i * 2 + k]).toBeCloseTo(v, 6));
    }
    expect(probabilitiesCsv(['a'], ['x', 'y'], [0.25, 0.75])).toBe('case,x,y\na,0.25,0.75\n');

    // Each fold's validation probabilities are its final network's, and give its final metrics.
    for (const f of r.folds) {
      expect(multiclassMetrics(f.validation.probs, f.validation.targets, 2)).toEqual(f.final);
      expect(f.validation.caseIds).toEqual(f.val);
      expect(f.history).toHaveLength(1);
    }
    const csv0 = (await readFile(join(out, 'fold-0', 'validation.csv'), 'utf8')).trim().split('\n');
    expect(csv0[1]).toBe([r.folds[0]!.val[0], ...Array.from(r.folds[0]!.validation.probs.slice(0, 2), String)].join(','));

    // The saved fold classifiers rebuild to the same functions, and predict ensembles them over a folder.
    const dirs = await classifierCheckpointDirs(out);
    expect(dirs).toEqual([0, 1, 2].map((k) => join(out, `fold-${k}`, 'checkpoint')));
    const loaded = await Promise.all(dirs.map((d) => loadClassifierModel(d, resencFactory)));
    expect(loaded[1]!.config).toMatchObject({ task: 'classification', classes: [...dataset.classes], cropSize: [16, 16, 16], normalization: 'head', fold: 1 });
    const x0 = tensor(cases[0]!.image, [1, ...cases[0]!.shape]);
    for (const [k, m] of loaded.entries()) {
      expect(await noGrad(() => m.network.forward(x0)).floats()).toEqual(await noGrad(() => r.networks[k]!.forward(x0)).floats());
    }
    const all = await Promise.all(dataset.caseIds.map((id) => dataset.read(id)));
    const expected = await ensembleProbabilities(r.networks, all, false);
    const predicted = await predictClassifier(loaded, await findClassificationInputs(root, 1));
    expect(predicted.csv.split('\n')[0]).toBe(`case,${dataset.classes.join(',')}`);
    expect(predicted.csv.split('\n').slice(1, -1).map((l) => l.split(',')[0])).toEqual([...dataset.caseIds]);
    expected.forEach((v, i) => expect(predicted.probs[i]).toBeCloseTo(v, 6));
    expect(await classifierCheckpointDirs(root)).toEqual([]);
  }, 300_000);
});

describe('meanSd', () => {
  it('uses the sample standard deviation', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0 });
  });
});
