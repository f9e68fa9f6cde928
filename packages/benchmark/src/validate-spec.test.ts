import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkPreset, TOY_PRESET } from './presets/index.js';
import { parseBenchmarkSpec, readBenchmarkSpec } from './validate-spec.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('parseBenchmarkSpec', () => {
  it('should accept both presets', () => {
    expect(benchmarkPreset('toy').seeds).toEqual([0, 1, 2]);
    expect(benchmarkPreset('openmind').methods.length).toBe(14);
  });

  it("should accept the committed toy-schedules spec: the toy preset's jobs plus each pre-trained row on scratch's schedule", () => {
    const spec = readBenchmarkSpec(join(import.meta.dirname, '..', 'specs', 'toy-schedules.json'));
    expect(spec.methods.map((m) => m.schedules)).toEqual([['warm-up', 'default'], ['warm-up', 'default']]);
    expect(spec.downstream).toEqual(benchmarkPreset('toy').downstream);
  });

  it("should accept the committed toy-long-pretrain spec: the toy preset's data and downstream task with 5× its MAE pre-training", () => {
    const spec = readBenchmarkSpec(join(import.meta.dirname, '..', 'specs', 'toy-long-pretrain.json'));
    const toy = benchmarkPreset('toy');
    expect(spec.pretrain.epochs).toBe(5 * toy.pretrain.epochs);
    expect({ ...spec.pretrain, epochs: toy.pretrain.epochs }).toEqual(toy.pretrain);
    expect(spec.pretrainData).toEqual(toy.pretrainData);
    expect(spec.downstream).toEqual(toy.downstream);
    expect(spec.seeds).toEqual(toy.seeds);
  });

  it('should name the field, the source and what was expected for a wrong type', () => {
    const spec = clone(TOY_PRESET) as Record<string, unknown>;
    (spec['pretrain'] as Record<string, unknown>)['epochs'] = 'ten';
    expect(() => parseBenchmarkSpec(spec, 'my.json')).toThrow(/my\.json: invalid benchmark spec:\n {2}pretrain\.epochs: .*expected number/);
  });

  it('should name an unknown field with its path', () => {
    const spec = clone(TOY_PRESET) as { methods: Record<string, unknown>[] };
    spec.methods[1]!['shedules'] = ['warm-up'];
    expect(() => parseBenchmarkSpec(spec, 's.json')).toThrow(/methods\[1\]: unknown field 'shedules'/);
  });

  it('should refuse a schedule that does not exist, naming the allowed ones', () => {
    const spec = clone(TOY_PRESET) as { scratch: { schedule: string }[] };
    spec.scratch[0]!.schedule = 'cosine';
    expect(() => parseBenchmarkSpec(spec, 's.json')).toThrow(/scratch\[0\]\.schedule: .*"default"\|"warm-up"\|"sawtooth"\|"frozen"\|"valley"/);
  });

  it('should check fields against each other: folds by task, synthetic kind by task, duplicate rows', () => {
    const spec = clone(TOY_PRESET) as { downstream: Record<string, unknown>[]; methods: unknown[] };
    spec.downstream[0]!['folds'] = 3;
    spec.methods.push(clone(spec.methods[0]));
    const msg = (() => {
      try {
        parseBenchmarkSpec(spec, 's.json');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg).toMatch(/downstream\[0\]\.folds: a segmentation dataset lists its folds/);
    expect(msg).toMatch(/methods\[2\]: mae\/resenc-small is listed twice/);
    const cls = clone(TOY_PRESET) as { downstream: Record<string, unknown>[] };
    cls.downstream[0]!['task'] = 'classification';
    cls.downstream[0]!['folds'] = 3;
    expect(() => parseBenchmarkSpec(cls, 's.json')).toThrow(/downstream\[0\]\.test: only segmentation[\s\S]*downstream\[0\]\.data\.synth\.kind: a classification dataset needs kind 'classification'/);
  });

  it('should name the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-spec-'));
    writeFileSync(join(dir, 'bad.json'), '{"name": "x",');
    expect(() => readBenchmarkSpec(join(dir, 'bad.json'))).toThrow(/bad\.json' is not valid JSON/);
    expect(() => readBenchmarkSpec(join(dir, 'missing.json'))).toThrow(/missing\.json' cannot be read \(ENOENT\)/);
  });
});
