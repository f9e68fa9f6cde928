import {
  type Architecture, type ArchitectureFactory, Conv3d, createSslMethod, Module, Rng, scheduleFor, setBackend, type Tensor, tensor,
} from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { maeConfigSchema } from './config.js';
import { MaeMethod } from './mae-method.js';
import { maeFactory } from './plugin.js';

setBackend(new ReferenceBackend());

/** A one-conv stand-in architecture (the ResEnc one is tested in its own package and the conformance suite). */
class OneConv extends Module implements Architecture {
  readonly keyToEncoder = 'conv';
  readonly keyToStem = 'conv';
  readonly keysToInProj = ['conv'];
  readonly archClassName = 'OneConv';
  readonly archKwargs = null;
  readonly featureChannels = [1];
  readonly featureStrides = [[1, 1, 1] as const];
  readonly conv: Conv3d;
  constructor(rng: Rng) {
    super();
    this.conv = this.child('conv', new Conv3d(1, 1, 3, { padding: 1, rng }));
  }
  forward(x: Tensor): Tensor {
    return this.conv.forward(x);
  }
  encode(x: Tensor): Tensor[] {
    return [this.forward(x)];
  }
}
const oneConv: ArchitectureFactory = { name: 'one', presets: ['one'], create: (_p, o) => new OneConv(o.rng) };

function method(config: Record<string, unknown> = {}) {
  return new MaeMethod({
    config: maeConfigSchema.parse({ blockSize: 4, ...config }),
    architecture: oneConv, preset: 'one', inChannels: 1, patchSize: [8, 8, 8], rng: new Rng(0),
  });
}

describe('MaeMethod', () => {
  const image = Float32Array.from({ length: 2 * 512 }, (_, i) => Math.sin(i));
  const batch = { image, shape: [2, 1, 8, 8, 8] as const };

  it('should zero the hidden blocks of the network input and keep the visible voxels', async () => {
    const r = method().reconstruct(batch, new Rng(5));
    const input = await r.corrupted.data();
    r.mask.forEach((v, i) => expect(input[i] === (v ? image[i] : 0)).toBe(true));
    expect(r.mask.reduce((s, v) => s + v, 0)).toBe(2 * 512 / 4);
  });

  it('should score only hidden voxels: a network that copies its input has loss = mean of x² over hidden voxels', async () => {
    const m = method();
    const identity = new Float32Array(27);
    identity[13] = 1;
    m.network.loadStateDict(new Map([['conv.weight', tensor(identity, [1, 1, 3, 3, 3])], ['conv.bias', tensor([0], [1])]]));
    const loss = await m.loss(batch, new Rng(5)).item();
    const mask = method().reconstruct(batch, new Rng(5)).mask;
    let s = 0;
    let n = 0;
    mask.forEach((v, i) => { if (!v) { s += image[i]! ** 2; n++; } });
    expect(loss).toBeCloseTo(s / n, 5);
  });

  it('should also exclude defaced voxels when excludeAnonymized is set', async () => {
    const anonymization = new Uint8Array(1024).fill(1);
    const loss = await method({ excludeAnonymized: true }).loss({ ...batch, masks: { anonymization } }, new Rng(5)).item();
    expect(loss).toBe(0);
  });

  it("should default to nnssl's recipe: SGD 1e-2, momentum 0.99 Nesterov, wd 3e-5, poly per epoch, clip 12", () => {
    const r = method().recipe({ epochs: 1000 });
    expect(r.optimizer.groups[0]!.lr).toBe(1e-2);
    expect(r.optimizer.groups[0]!.weightDecay).toBe(3e-5);
    expect(r.scheduleUnit).toBe('epoch');
    expect(r.gradClip).toBe(12);
    expect(scheduleFor(r.schedule, 'default').lr(999)).toBeCloseTo(1e-2 * (1 / 1000) ** 0.9, 12);
  });

  it('should refuse an option it does not have, naming it and listing its own (a Primus-only key on a CNN)', () => {
    const create = () => createSslMethod(maeFactory, { config: { warmupEpochs: 0 } /* as JSON from a user */, architecture: oneConv, preset: 'one', inChannels: 1, patchSize: [8, 8, 8], rng: new Rng(0) });
    expect(create).toThrow(/SSL method 'mae': invalid config — 'warmupEpochs': not an option \(options: maskRatio, blockSize, .*gradClip\)/);
  });

  it('should write the architecture keys into its adaptation plan', () => {
    const plan = method().adaptationPlan();
    expect(plan).toMatchObject({ key_to_encoder: 'conv', key_to_stem: 'conv', keys_to_in_proj: ['conv'], recommended_downstream_patchsize: [160, 160, 160], pretrain_num_input_channels: 1 });
  });
});
