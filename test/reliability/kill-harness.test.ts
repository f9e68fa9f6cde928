// CI-sized kill harness: each long job (preprocess, pretrain, finetune) is SIGKILLed three times at seeded random moments and resumed; its
// end state must equal an uninterrupted run's. `npm run kill-harness -- --kills 20` makes the long run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { finetuneJob, preprocessJob, pretrainJob, synthesize, synthesizeSegmentation } from './jobs.js';

let root = '';
let raw = '';
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'om-kill-'));
  raw = await synthesize(root, 8, 40);
}, 300_000);

describe('kill harness', () => {
  it('should leave preprocess\'s store byte-identical after three SIGKILLs and reruns, redoing no finished case', async () => {
    const r = await preprocessJob(root, raw, { kills: 3, seed: 1, windowMs: [0, 300] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.kills).toBe(3);
    expect(r.differences).toEqual([]);
    expect(r.redone.every((n) => n <= r.redoBound)).toBe(true);
  }, 600_000);

  it('should end pretrain with bit-identical weights, optimizer state and metrics after three SIGKILLs and resumes', async () => {
    const r = await pretrainJob(root, join(root, 'preprocess-reference', 'nnsslPlans_onemmiso'), { kills: 3, seed: 2, windowMs: [0, 1200] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.kills).toBe(3);
    expect(r.differences).toEqual([]);
    expect(r.redone.every((n) => n <= r.redoBound), `steps redone per kill: ${r.redone}`).toBe(true);
  }, 600_000);

  it('should end finetune (segmentation) with a byte-identical run folder after three SIGKILLs and resumes', async () => {
    const r = await finetuneJob(root, await synthesizeSegmentation(root, 6), { kills: 3, seed: 3, windowMs: [0, 2500] });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.kills).toBe(3);
    expect(r.differences).toEqual([]);
    expect(r.redone.every((n) => n <= r.redoBound), `epoch lines redone per kill: ${r.redone}`).toBe(true);
  }, 900_000);
});
