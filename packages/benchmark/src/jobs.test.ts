import { describe, expect, it } from 'vitest';
import { expandJobs } from './jobs.js';
import { BENCHMARK_PRESETS } from './presets/index.js';
import { parseBenchmarkSpec } from './validate-spec.js';

describe('expandJobs', () => {
  it('should pre-train from a given preprocessed store without a preprocessing job', () => {
    const spec = parseBenchmarkSpec({ ...BENCHMARK_PRESETS.toy, pretrainData: { store: '/shared/preprocessed' } }, 'spec');
    const jobs = expandJobs(spec, '/b');
    expect(jobs.some((j) => j.kind === 'preprocess' || j.id === 'data-pretrain')).toBe(false);
    const pretrain = jobs.find((j) => j.id === 'pretrain-mae-resenc-small')!;
    expect(pretrain.deps).toEqual([]);
    expect(pretrain.commands[0]!.slice(0, 3)).toEqual(['pretrain', '--data', '/shared/preprocessed']);
  });

  it("should make the toy preset's evaluation jobs predict the synthetic test set with the fold's network and score it", () => {
    const jobs = expandJobs(parseBenchmarkSpec(BENCHMARK_PRESETS.toy, 'toy'), '/b');
    const e = jobs.find((j) => j.id === 'evaluate-mae-resenc-small-lesion-warm-up-f0-s2')!;
    expect(e.deps).toEqual(['finetune-mae-resenc-small-lesion-warm-up-f0-s2', 'data-lesion-test']);
    expect(e.commands.map((c) => c[0])).toEqual(['predict', 'evaluate']);
    expect(e.commands[0]).toContain('/b/jobs/finetune-mae-resenc-small-lesion-warm-up-f0-s2/out');
    expect(e.commands[1]!.slice(-4)).toEqual(['--ref', '/b/jobs/data-lesion-test/out/nnUNet_raw/Dataset501_SynthLesion/labelsTr', '--out', '/b/jobs/evaluate-mae-resenc-small-lesion-warm-up-f0-s2/out/summary.json']);
    expect(jobs.filter((j) => j.kind === 'finetune')).toHaveLength(3 * 3);
  });
});
