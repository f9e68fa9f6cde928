import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, fullLike, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { openSegmentationDataset } from '../dataset/open-dataset.js';
import { testSegPlan } from '../testing/adaptation-plan.js';
import { writeTestDataset } from '../testing/write-dataset.js';
import { finalValidation, perCaseDice } from './final-validation.js';
import { parseNnunetJson } from './summary-json.js';

setBackend(new ReferenceBackend());

describe('finalValidation', () => {
  it("should predict only the fold's validation cases into validation/ and write their summary.json", async () => {
    const dataset = await openSegmentationDataset(await writeTestDataset({ cases: 3, spacing: [1, 1, 2] }));
    const runDir = await mkdtemp(join(tmpdir(), 'om-seg-val-'));
    const val = dataset.cases.slice(1);
    // The intensity-threshold "network" of predict-cases.test.ts: lesions near +3 after z-scoring.
    const summary = await finalValidation({ runDir, plan: testSegPlan(), network: (x) => concat([fullLike(x, 1.5), x], 1), cases: val, mirroring: false });
    expect(existsSync(join(runDir, 'validation', 'case_000.nii.gz'))).toBe(false);
    const written = parseNnunetJson(readFileSync(join(runDir, 'validation', 'summary.json'), 'utf8')) as typeof summary;
    expect(written.metric_per_case.map((c) => c.prediction_file)).toEqual(val.map((c) => join(runDir, 'validation', `${c.id}.nii.gz`)));
    const rows = perCaseDice(summary);
    expect(rows.map((r) => r.case)).toEqual(['case_001', 'case_002']);
    for (const r of rows) expect(r.dice['1']).toBeGreaterThan(0.7);
  });
});
