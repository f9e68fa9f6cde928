import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { isLoraKey, LORA_DEFAULTS, noGrad, PhaseController, Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { presetAdaptationPlan, segmentationPlan } from '../../test/support/plans.js';
import { buildSegmentationNetwork } from '../network/build-network.js';
import { addEncoderLoraAdapters } from '../network/encoder-lora.js';
import { loadSegmentationModel, saveSegmentationModel } from '../train/segmentation-model.js';
import { fineTuneRecipe } from './fine-tune-schedules.js';
import { learningRateTable } from './lr-table.js';
import { splitParameters } from './parameter-split.js';

setBackend(new ReferenceBackend());
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const net = () => resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 2, patchSize: [8, 8, 8], rng: new Rng(4), init: 'he' });
const x = () => tensor(Float32Array.from({ length: 512 }, (_, i) => Math.sin(i)), [1, 1, 8, 8, 8]);
const snapshot = async (ps: Tensor[]) => Promise.all(ps.map(async (p) => Float32Array.from(await p.data() as Float32Array)));

describe("segmentation schedule 'lora'", () => {
  it('puts adapters on the encoder and stem only, trains them and the decoder, leaves every other encoder weight bit-identical; rates as Warm-Up', async () => {
    const n = net();
    const names = addEncoderLoraAdapters(n, LORA_DEFAULTS, new Rng(1));
    expect(names.length).toBeGreaterThan(3);
    expect(names.every((k) => k.startsWith('encoder.stem.') || k.startsWith('encoder.stages.'))).toBe(true);
    const split = splitParameters(n);
    expect(split.adapters.length).toBe(2 * names.length);
    const recipe = fineTuneRecipe('lora', { epochs: 1000, params: split, optimizer: 'sgd', pretrained: true, inChannelMismatch: false });
    const t = learningRateTable(recipe, 1000);
    expect(t[0]!['encoder']).toBeCloseTo(2e-5, 10);
    expect(t[49]!['decoder']).toBeCloseTo(1e-3, 10);
    const phases = new PhaseController(fineTuneRecipe('lora', { epochs: 150, params: split, optimizer: 'sgd', pretrained: true, inChannelMismatch: false, lr: 0.1 }));
    phases.setLr(0);
    const adapters = new Set(split.adapters);
    const frozen = split.encoder.filter((p) => !adapters.has(p));
    const frozenBefore = await snapshot(frozen);
    const adaptersBefore = await snapshot(split.adapters);
    const decBefore = await snapshot(split.decoder);
    n.forward(x()).square().mean().backward();
    expect(frozen.every((p) => p.grad === undefined)).toBe(true);
    phases.optimizer.step();
    phases.optimizer.zeroGrad();
    (await snapshot(frozen)).forEach((v, i) => expect(v).toEqual(frozenBefore[i]));
    const changed = (a: Float32Array[], b: Float32Array[]) => a.some((v, i) => v.some((y, j) => y !== b[i]![j]));
    expect(changed(await snapshot(split.adapters), adaptersBefore)).toBe(true);
    expect(changed(await snapshot(split.decoder), decBefore)).toBe(true);
    phases.release();
  });

  it('refuses a network without adapters', () => {
    expect(() => fineTuneRecipe('lora', { epochs: 10, params: splitParameters(net()), optimizer: 'sgd', pretrained: true, inChannelMismatch: false })).toThrow(/no LoRA adapters/);
  });

  it('a checkpoint of a LoRA run loads as the plain network with the adapters merged: same output to 1e-5', async () => {
    const plan = segmentationPlan(presetAdaptationPlan(resencFactory, 'resenc-tiny', [8, 8, 8]), { channels: 1, classes: 2, patch: [8, 8, 8] });
    const { network } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(5), deepSupervision: false });
    addEncoderLoraAdapters(network, LORA_DEFAULTS, new Rng(1));
    for (const [k, p] of network.namedParameters()) if (k.endsWith('lora_B')) p.assign(tensor(new Rng(k.length).fillNormal(new Float32Array(p.size), 0, 0.05), p.shape));
    network.eval();
    const dir = await mkdtemp(join(tmpdir(), 'seg-lora-'));
    dirs.push(dir);
    await saveSegmentationModel(join(dir, 'checkpoint_final'), network, { segmentationPlan: plan, deepSupervision: false, lora: LORA_DEFAULTS });
    const loaded = await loadSegmentationModel(dir, resencFactory);
    expect([...loaded.network.stateDict().keys()].some(isLoraKey)).toBe(false);
    const want = await noGrad(() => network.forward(x())).floats();
    const got = await noGrad(() => loaded.network.forward(x())).floats();
    expect(got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0)).toBeLessThan(1e-5);
    // Without the merge (adapters dropped) the output differs: the test would catch a lost adapter.
    const { network: plain } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(5), deepSupervision: false });
    plain.loadStateDict(new Map([...network.stateDict()].filter(([k]) => !isLoraKey(k))));
    plain.eval();
    const without = await noGrad(() => plain.forward(x())).floats();
    expect(without.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0)).toBeGreaterThan(1e-3);
  });
});
