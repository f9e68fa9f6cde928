import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OpenMindError, PhaseController, Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { recordKernels, ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { fineTuneRecipe } from './fine-tune-schedules.js';
import { learningRateTable } from './lr-table.js';
import { splitParameters } from './parameter-split.js';
import type { OptimizerFamily, ScheduleContext } from './schedule-context.js';
import { stageLengths } from './stage-lengths.js';

const recorder = recordKernels(new ReferenceBackend());
setBackend(recorder.backend);

// A tiny ResEnc U-Net (8 → 64 features) at 8³: big enough to have a stem, stages and a decoder.
const net = () => resencFactory.create('resenc-tiny', { inChannels: 2, outChannels: 2, patchSize: [8, 8, 8], rng: new Rng(4), init: 'he' });
const network = net();
const params = splitParameters(network);

function ctx(epochs: number, optimizer: OptimizerFamily, extra: Partial<ScheduleContext> = {}): ScheduleContext {
  return { epochs, params, optimizer, pretrained: true, inChannelMismatch: false, ...extra };
}

/** finetune-spec §4 and §1.5 give 3 significant digits: equal when within 0.6 % of the printed value. */
function expectRates(table: Record<string, number>[], expected: Record<number, number>, group: string): void {
  for (const [e, v] of Object.entries(expected)) {
    const got = table[Number(e)]![group]!;
    expect(Math.abs(got - v) / v, `epoch ${e}, group ${group}: ${got} vs ${v}`).toBeLessThan(6e-3);
  }
}

describe('fine-tuning schedules: learning rate per epoch and parameter group (finetune-spec §1.5, §4)', () => {
  it('default: nnU-Net Poly from 1e-2, e0 1e-2, e500 5.36e-3, e999 2.0e-5, both groups', () => {
    const t = learningRateTable(fineTuneRecipe('default', ctx(1000, 'sgd')), 1000);
    for (const g of ['encoder', 'decoder']) expectRates(t, { 0: 1e-2, 500: 5.36e-3, 999: 2.0e-5 }, g);
  });

  it('warm-up (PretrainedTrainer, 1000 epochs): e0 2e-5, e49 1e-3, e50 1e-3, e100 9.53e-4, e500 5.61e-4, e999 2.09e-6', () => {
    const t = learningRateTable(fineTuneRecipe('warm-up', ctx(1000, 'sgd')), 1000);
    for (const g of ['encoder', 'decoder']) expectRates(t, { 0: 2e-5, 49: 1e-3, 50: 1e-3, 100: 9.53e-4, 500: 5.61e-4, 999: 2.09e-6 }, g);
  });

  it('warm-up (_150ep): e0 6.67e-5, e14 1e-3, e15 1e-3, e100 4.09e-4, e149 1.21e-5; from scratch ×10', () => {
    const v = { 0: 6.67e-5, 14: 1e-3, 15: 1e-3, 100: 4.09e-4, 149: 1.21e-5 };
    expectRates(learningRateTable(fineTuneRecipe('warm-up', ctx(150, 'sgd')), 150), v, 'encoder');
    const scratch = Object.fromEntries(Object.entries(v).map(([e, r]) => [e, r * 10]));
    expectRates(learningRateTable(fineTuneRecipe('warm-up', ctx(150, 'sgd', { pretrained: false })), 150), scratch, 'decoder');
  });

  it('warm-up (_Primus, AdamW): e0 2e-6, e49 1e-4, e999 2.09e-7', () => {
    expectRates(learningRateTable(fineTuneRecipe('warm-up', ctx(1000, 'adamw')), 1000), { 0: 2e-6, 49: 1e-4, 999: 2.09e-7 }, 'encoder');
  });

  it('sawtooth (SGD, 1000): decoder e0 4e-5, e24 1e-3, e25 1e-3, e49 5.52e-5 with the encoder at 0; then both e50 2e-5, e99 1e-3, e100 1e-3, e999 2.19e-6', () => {
    const t = learningRateTable(fineTuneRecipe('sawtooth', ctx(1000, 'sgd')), 1000);
    expectRates(t, { 0: 4e-5, 24: 1e-3, 25: 1e-3, 49: 5.52e-5, 50: 2e-5, 99: 1e-3, 100: 1e-3, 999: 2.19e-6 }, 'decoder');
    for (let e = 0; e < 50; e++) expect(t[e]!['encoder']).toBe(0);
    expectRates(t, { 50: 2e-5, 99: 1e-3, 100: 1e-3, 999: 2.19e-6 }, 'encoder');
  });

  it('sawtooth (SGD, 150): e0 1.43e-4, e6 1e-3, e7 1e-3, e14 1.54e-4, e15 6.67e-5, e29 1e-3, e30 1e-3, e149 1.35e-5', () => {
    const t = learningRateTable(fineTuneRecipe('sawtooth', ctx(150, 'sgd')), 150);
    expectRates(t, { 0: 1.43e-4, 6: 1e-3, 7: 1e-3, 14: 1.54e-4, 15: 6.67e-5, 29: 1e-3, 30: 1e-3, 149: 1.35e-5 }, 'decoder');
    expectRates(t, { 15: 6.67e-5, 29: 1e-3, 149: 1.35e-5 }, 'encoder');
  });

  it('sawtooth (Primus, 1000, f 0.01): e0 4e-8, e24 1e-6, e49 5.5e-8, e50 2e-6, e99 1e-4, e999 2.2e-7', () => {
    const t = learningRateTable(fineTuneRecipe('sawtooth', ctx(1000, 'adamw')), 1000);
    expectRates(t, { 0: 4e-8, 24: 1e-6, 49: 5.52e-8, 50: 2e-6, 99: 1e-4, 999: 2.19e-7 }, 'decoder');
  });

  it('sawtooth (Primus, 150, f 0.1, whole-net warm-up 50): e0 1.43e-6, e6 1e-5, e14 1.54e-6, e15 2e-6, e64 1e-4, e65 1e-4, e149 1.83e-6', () => {
    const t = learningRateTable(fineTuneRecipe('sawtooth', ctx(150, 'adamw')), 150);
    expectRates(t, { 0: 1.43e-6, 6: 1e-5, 14: 1.54e-6, 15: 2e-6, 64: 1e-4, 65: 1e-4, 149: 1.83e-6 }, 'decoder');
    expectRates(t, { 15: 2e-6, 64: 1e-4, 149: 1.83e-6 }, 'encoder');
  });

  it('frozen (Primus frozenEnc, 150): decoder Lin_incr(1e-4, 15) then Poly_offset(1e-4, 150, 15); the encoder at 0 throughout', () => {
    const t = learningRateTable(fineTuneRecipe('frozen', ctx(150, 'adamw')), 150);
    expectRates(t, { 0: 1e-4 / 15, 14: 1e-4, 15: 1e-4, 82: 1e-4 * (1 - 67 / 135) ** 0.9, 149: 1e-4 * (1 / 135) ** 0.9 }, 'decoder');
    expect(t.every((r) => r['encoder'] === 0)).toBe(true);
  });

  it('valley (150, SGD): decoder decays from 1e-3 over 15 epochs, then the whole net warms up over 15 and decays', () => {
    const t = learningRateTable(fineTuneRecipe('valley', ctx(150, 'sgd')), 150);
    expectRates(t, { 0: 1e-3, 14: 1e-3 * (1 / 15) ** 0.9, 15: 1e-3 / 15, 29: 1e-3, 30: 1e-3, 149: 1e-3 * (1 / 120) ** 0.9 }, 'decoder');
    for (let e = 0; e < 15; e++) expect(t[e]!['encoder']).toBe(0);
    expectRates(t, { 15: 1e-3 / 15, 29: 1e-3 }, 'encoder');
  });

  it('should scale the stages to other epoch counts from the nearer variant', () => {
    expect(stageLengths(300, 'sgd')).toEqual({ warmup: 30, decoder: 30, wholeNet: 30, variant: 150 });
    expect(stageLengths(2000, 'sgd')).toEqual({ warmup: 100, decoder: 100, wholeNet: 100, variant: 1000 });
    expect(stageLengths(4, 'sgd')).toEqual({ warmup: 1, decoder: 2, wholeNet: 1, variant: 150 });
    const t = learningRateTable(fineTuneRecipe('warm-up', ctx(300, 'sgd')), 300);
    expectRates(t, { 0: 1e-3 / 30, 29: 1e-3, 30: 1e-3 }, 'encoder');
  });

  it('should name the known schedules for an unknown one', () => {
    expect(() => fineTuneRecipe('sawtoth', ctx(10, 'sgd'))).toThrow(OpenMindError);
    expect(() => fineTuneRecipe('sawtoth', ctx(10, 'sgd'))).toThrow(/Did you mean 'sawtooth'\?.*default, warm-up, sawtooth, frozen, valley/);
  });
});

describe('fine-tuning schedules: frozen parameters', () => {
  const lossOf = (n: ReturnType<typeof net>) => n.forward(tensor(Float32Array.from({ length: 2 * 512 }, (_, i) => Math.sin(i)), [1, 2, 8, 8, 8])).square().mean();
  const snapshot = async (ps: Tensor[]) => Promise.all(ps.map(async (p) => Float32Array.from(await p.data() as Float32Array)));

  for (const [name, phaseEpoch] of [['frozen', 0], ['sawtooth', 0], ['valley', 0]] as const) {
    it(`${name}: the encoder gets no gradient (no filter-gradient kernel runs for its convs) and no update; the decoder does`, async () => {
      const n = net();
      const split = splitParameters(n);
      const recipe = fineTuneRecipe(name, { epochs: 150, params: split, optimizer: 'sgd', pretrained: true, inChannelMismatch: false, lr: 0.1 });
      const phases = new PhaseController(recipe);
      phases.advanceTo(phaseEpoch);
      phases.setLr(phaseEpoch);
      const encBefore = await snapshot(split.encoder);
      const decBefore = await snapshot(split.decoder);
      recorder.reset();
      const loss = lossOf(n);
      loss.backward();
      const filterGrads = recorder.calls.filter((c) => c === 'conv3dBackpropFilter' || c.startsWith('conv3dBackpropFilter')).length;
      expect(split.encoder.every((p) => p.grad === undefined)).toBe(true);
      // Every decoder parameter on the forward path has a gradient (without deep supervision only the last seg layer is used).
      const lastSeg = `decoder.seg_layers.${n.config.featuresPerStage.length - 2}.`;
      const used = n.namedParameters().filter(([k]) => k.startsWith('decoder.') && (!k.startsWith('decoder.seg_layers.') || k.startsWith(lastSeg)));
      expect(used.every(([, p]) => p.grad !== undefined)).toBe(true);
      phases.optimizer.step();
      phases.optimizer.zeroGrad();
      const encAfter = await snapshot(split.encoder);
      const decAfter = await snapshot(split.decoder);
      encAfter.forEach((v, i) => expect(v).toEqual(encBefore[i]));
      expect(decAfter.some((v, i) => v.some((x, j) => x !== decBefore[i]![j]))).toBe(true);
      // Filter gradients only for the decoder's convs: its stages, transposed convs and the used seg layer
      // (the encoder's stem, block and skip convs would add theirs).
      const decoderConvs = used.filter(([k]) => k.endsWith('.weight') && !k.includes('norm')).length;
      const encoderConvs = n.namedParameters().filter(([k]) => k.startsWith('encoder.') && k.endsWith('.weight') && !k.includes('norm')).length;
      expect(encoderConvs).toBeGreaterThan(0);
      expect(filterGrads).toBe(decoderConvs);
      phases.release();
    });
  }

  it('sawtooth with added input channels trains the input projection with the decoder', () => {
    const n = net();
    const split = splitParameters(n);
    const recipe = fineTuneRecipe('sawtooth', { epochs: 150, params: split, optimizer: 'sgd', pretrained: true, inChannelMismatch: true });
    const phases = new PhaseController(recipe);
    expect(split.inProj.length).toBe(2);
    expect(split.inProj.every((p) => p.requiresGrad)).toBe(true);
    expect(split.encoder.filter((p) => !split.inProj.includes(p)).every((p) => !p.requiresGrad)).toBe(true);
    expect(phases.optimizer.groups[0]!.params).toEqual(expect.arrayContaining(split.inProj));
    phases.release();
  });

  it("sawtooth with forkSawtooth trains the whole network in its decoder phases (the fork's effective ResEnc behaviour)", () => {
    const n = net();
    const split = splitParameters(n);
    const phases = new PhaseController(fineTuneRecipe('sawtooth', { epochs: 150, params: split, optimizer: 'sgd', pretrained: true, inChannelMismatch: false, forkSawtooth: true }));
    expect(n.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(phases.optimizer.groups[0]!.params.length).toBe(n.parameters().length);
    phases.release();
  });

  it('splitParameters puts stem and stages in the encoder and the rest in the decoder', () => {
    const keys = network.namedParameters();
    expect(params.encoder.length + params.decoder.length).toBe(keys.length);
    expect(params.encoder.length).toBe(keys.filter(([k]) => k.startsWith('encoder.')).length);
  });
});
