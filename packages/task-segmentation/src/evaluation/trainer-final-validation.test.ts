import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { Rng, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { presetAdaptationPlan, segmentationPlan } from '../../test/support/plans.js';
import { syntheticSegmentationBatches } from '../../test/support/synthetic-batches.js';
import { openSegmentationDataset } from '../dataset/open-dataset.js';
import { buildSegmentationNetwork } from '../network/build-network.js';
import { fineTuneRecipe } from '../schedules/fine-tune-schedules.js';
import { splitParameters } from '../schedules/parameter-split.js';
import { writeTestDataset } from '../testing/write-dataset.js';
import { type FineTuneEvent, FineTuneTrainer } from '../train/fine-tune-trainer.js';
import { parseNnunetJson } from './summary-json.js';

setBackend(new ReferenceBackend());

describe('FineTuneTrainer with finalValidation', () => {
  it('should predict the fold\'s validation cases after the last epoch and write validation/summary.json', async () => {
    const plan = segmentationPlan(presetAdaptationPlan(resencFactory, 'resenc-tiny', [8, 8, 8]), { channels: 1, classes: 2, patch: [8, 8, 8] });
    const { network } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(5), deepSupervision: false });
    const recipe = fineTuneRecipe('warm-up', { epochs: 1, params: splitParameters(network), optimizer: 'sgd', pretrained: false, inChannelMismatch: false });
    const dataset = await openSegmentationDataset(await writeTestDataset({ cases: 3 }));
    const runDir = await mkdtemp(join(tmpdir(), 'om-seg-trainval-'));
    const events: FineTuneEvent[] = [];
    const result = await new FineTuneTrainer({
      plan, network, deepSupervision: false, recipe, epochs: 1, iterationsPerEpoch: 1, valIterations: 1, runDir, seed: 0,
      train: syntheticSegmentationBatches({ seed: 1, batchSize: 2, channels: 1, size: 8, classes: 2 }),
      finalValidation: { cases: dataset.cases.slice(2), mirroring: false },
      onEvent: (e) => events.push(e),
    }).run();
    expect(existsSync(join(runDir, 'validation', 'case_002.nii.gz'))).toBe(true);
    const summary = parseNnunetJson(readFileSync(join(runDir, 'validation', 'summary.json'), 'utf8')) as NonNullable<typeof result.validation>;
    expect(summary.metric_per_case.map((c) => c.reference_file.split('/').at(-1))).toEqual(['case_002.nii.gz']);
    expect(Object.keys(summary.mean)).toEqual(['1']);
    expect(result.validation!.metric_per_case).toHaveLength(1);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['validation', 'done']);
  }, 300_000);
});
