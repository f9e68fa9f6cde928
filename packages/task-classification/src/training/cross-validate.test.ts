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
  }, 300_000);
});

describe('meanSd', () => {
  it('uses the sample standard deviation', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0 });
  });
});
