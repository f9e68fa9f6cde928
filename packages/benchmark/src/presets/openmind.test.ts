import { describe, expect, it } from 'vitest';
import { expandJobs } from '../jobs.js';
import { benchmarkPreset } from './index.js';

/** The value after `--flag` in a command. */
const arg = (cmd: string[], flag: string) => {
  const i = cmd.indexOf(flag);
  return i < 0 ? undefined : cmd[i + 1];
};

// Facts from /work/shared/reference: openmind-paper.md §2.1–2.3, §3.4–3.5; finetune-spec.md §1.5.1, §1.7, §2.4.
describe("the 'openmind' preset", () => {
  const spec = benchmarkPreset('openmind');
  const jobs = expandJobs(spec, '/bench');
  const pretrain = jobs.filter((j) => j.kind === 'pretrain');
  const seg = jobs.filter((j) => j.kind === 'finetune' && j.meta.task === 'segmentation');
  const cls = jobs.filter((j) => j.kind === 'finetune' && j.meta.task === 'classification');

  it('should pre-train every method on ResEnc-L and Primus-M (seven rows each: S3D on the CNN, SimMIM on the transformer)', () => {
    const rows = pretrain.map((j) => `${j.meta.method}/${j.meta.arch}`).sort();
    expect(rows).toEqual([
      'mae/primus-m', 'mae/resenc-l', 'models-genesis/primus-m', 'models-genesis/resenc-l', 'simclr/primus-m', 'simclr/resenc-l', 'simmim/primus-m', 'spark/resenc-l',
      'swinunetr/primus-m', 'swinunetr/resenc-l', 'voco/primus-m', 'voco/resenc-l', 'volume-fusion/primus-m', 'volume-fusion/resenc-l',
    ]);
  });

  it("should pre-train with nnssl's budget: 1000 epochs × 250 steps, batch 8, 160³ (64³ crops for SimCLR and VoCo)", () => {
    for (const j of pretrain) {
      const c = j.commands[0]!;
      expect(arg(c, '--epochs')).toBe('1000');
      expect(arg(c, '--iterations')).toBe('250');
      expect(arg(c, '--batch-size')).toBe('8');
      expect(arg(c, '--patch-size')).toBe(['simclr', 'voco'].includes(j.meta.method!) ? '64,64,64' : '160,160,160');
      expect(j.deps).toEqual(['preprocess-pretrain']);
      expect(j.cost.steps).toBe(250_000);
    }
    expect(jobs.find((j) => j.id === 'preprocess-pretrain')!.commands[0]).toEqual(['preprocess', '${OPENMIND_ROOT}', '--out', '/bench/jobs/preprocess-pretrain/out', '--config', 'onemmiso']);
  });

  it('should fine-tune segmentation for 150 epochs × 250 steps at 160³, batch 2, on 5 folds, Sawtooth on ResEnc-L and Warm-Up on Primus-M', () => {
    for (const j of seg) {
      const c = j.commands[0]!;
      expect(arg(c, '--epochs')).toBe('150');
      expect(arg(c, '--iterations')).toBe('250');
      expect(arg(c, '--val-iterations')).toBe('50');
      expect(arg(c, '--patch-size')).toBe('160,160,160');
      expect(arg(c, '--batch-size')).toBe('2');
      if (j.meta.method) expect(arg(c, '--schedule')).toBe(j.meta.arch === 'resenc-l' ? 'sawtooth' : 'warm-up');
      if (j.meta.method) expect(j.deps).toContain(`pretrain-${j.meta.method}-${j.meta.arch}`);
    }
    const folds = new Set(seg.map((j) => j.meta.fold));
    expect([...folds].sort()).toEqual([0, 1, 2, 3, 4]);
    // 14 pre-trained rows + 2 baselines, 6 datasets, 5 folds, 1 seed.
    expect(seg.length).toBe(16 * 6 * 5);
  });

  it('should train both from-scratch baselines: ResEnc-L with nnU-Net\'s default schedule, Primus-M with warm-up', () => {
    const scratch = seg.filter((j) => !j.meta.method && j.meta.fold === 0 && j.meta.dataset === 'isles22');
    expect(scratch.map((j) => [j.meta.arch, arg(j.commands[0]!, '--schedule'), j.commands[0]!.includes('--from-scratch')])).toEqual([
      ['resenc-l', 'default', true],
      ['primus-m', 'warm-up', true],
    ]);
  });

  it("should fine-tune ABIDE classification as the reference: 200 epochs, 20 warm-up, AdamW 1e-4, wd 1e-2, label smoothing 0.2, batch 2 × 48, 160³, 3 folds", () => {
    expect(cls.length).toBe(16);
    for (const j of cls) {
      const c = j.commands[0]!;
      expect([arg(c, '--epochs'), arg(c, '--warmup'), arg(c, '--lr'), arg(c, '--weight-decay'), arg(c, '--label-smoothing'), arg(c, '--batch-size'), arg(c, '--accumulate'), arg(c, '--crop'), arg(c, '--folds')])
        .toEqual(['200', '20', '0.0001', '0.01', '0.2', '2', '48', '160,160,160', '3']);
    }
  });

  it('should list every job after its dependencies', () => {
    const seen = new Set<string>();
    for (const j of jobs) {
      for (const d of j.deps) expect(seen.has(d), `${j.id} needs ${d}`).toBe(true);
      seen.add(j.id);
    }
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
  });
});
