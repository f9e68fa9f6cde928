import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AdaptationPlan, Rng, setBackend, tensor, tidy } from '@openmind-ssl/core';
import { resencFactory, withTorchAliases, type ResidualEncoderUNet } from '@openmind-ssl/arch-resenc';
import { ReferenceBackend, requirePython, runPython } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PyDict, type PyValue, TorchTensor } from '../pickle/py-value.js';
import { readPth } from '../pth/read-pth.js';
import { writePth } from '../pth/write-pth.js';
import { relativeError, TOOLS } from '../test-support/fixtures.js';
import type { RawTensor } from '../torch/raw-tensor.js';
import { adaptPretrainedWeights } from './adapt-pretrained-weights.js';
import { exportNnsslCheckpoint, stateDictToRaw } from './export-nnssl-checkpoint.js';
import { readNnsslCheckpoint } from './read-nnssl-checkpoint.js';

setBackend(new ReferenceBackend());

const SHAPE = [1, 1, 16, 16, 16];

function planOf(net: ResidualEncoderUNet): AdaptationPlan {
  return {
    architecture_plans: net.architecturePlans(),
    pretrain_plan: { dataset_name: 'Dataset999_Test', configurations: { onemmiso: { patch_size: [16, 16, 16], spacing: [1, 1, 1] } } },
    pretrain_num_input_channels: 1,
    recommended_downstream_patchsize: [16, 16, 16],
    key_to_encoder: net.keyToEncoder,
    key_to_stem: net.keyToStem,
    keys_to_in_proj: [...net.keysToInProj],
    key_to_lpe: null,
  };
}

describe('exportNnsslCheckpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-export-'));
  const file = join(dir, 'checkpoint_final.pth');
  let net: ResidualEncoderUNet;
  let plan: AdaptationPlan;
  let weights: Map<string, RawTensor>;
  let input: Float32Array;
  let ours: Float32Array;

  beforeAll(async () => {
    net = resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(42) });
    plan = planOf(net);
    weights = await stateDictToRaw(net);
    input = new Rng(7).fillNormal(new Float32Array(SHAPE.reduce((a, b) => a * b, 1)));
    ours = Float32Array.from(await tidy(() => net.eval().forward(tensor(input, SHAPE))).data());
    await exportNnsslCheckpoint(file, { weights, plan, trainerName: 'openmind-test', architecture: resencFactory });
  });
  afterAll(() => {
    net.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should write network_weights with the PyTorch alias keys sharing storages, the plan, and adaptation_plan.json', async () => {
    const root = (await readPth(file)).root as PyDict;
    const sd = root.get('network_weights') as PyDict;
    expect(sd.ordered).toBe(true);
    expect([...sd.keys()]).toEqual([...withTorchAliases(weights).keys()]);
    const conv = sd.get('encoder.stem.convs.0.conv.weight') as TorchTensor;
    for (const alias of ['encoder.stem.convs.0.all_modules.0.weight', 'decoder.encoder.stem.convs.0.conv.weight']) {
      expect((sd.get(alias) as TorchTensor).storage).toBe(conv.storage);
    }
    expect(root.get('trainer_name')).toBe('openmind-test');
    expect(JSON.parse(readFileSync(join(dir, 'adaptation_plan.json'), 'utf8'))).toEqual(plan);
  });

  it('should load back into an identical network, bit for bit', async () => {
    const ckpt = await readNnsslCheckpoint(file);
    expect(ckpt.plan).toEqual(plan);
    const other = resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(1) });
    adaptPretrainedWeights(other, ckpt.weights, { architecture: resencFactory, mode: 'all', plan: ckpt.plan! });
    for (const [k, t] of other.stateDict()) expect(Array.from(await t.data()), k).toEqual(Array.from(await net.stateDict().get(k)!.data()));
    other.dispose();
  });

  describe('having PyTorch (the system Python with torch)', () => {
    const torch = requirePython(['torch']);

    // Tolerance: PyTorch runs the exported float32 weights in float32; ours ran in float64 on the reference
    // backend. Relative error = max |torch − ours| / max |ours| below 1e-4.
    it.skipIf(!torch)('should load our export with the weights-only unpickler, strictly, and give our output within 1e-4', async () => {
      // Also a plain state dict (genuinely weights_only=True on torch 1.13: no floats) and the same in zip64.
      const sd = new PyDict([...withTorchAliases(weights)].map(([k, v]) => [k, v as unknown as PyValue] as [string, PyValue]), true);
      await writePth(join(dir, 'state_dict.pth'), sd);
      await writePth(join(dir, 'state_dict_zip64.pth'), sd, { forceZip64: true });
      writeFileSync(join(dir, 'x.f32'), Buffer.from(input.buffer));
      const out = runPython([join(TOOLS, 'check_export.py'),
        '--input', join(dir, 'x.f32'), '--shape', SHAPE.join(','), '--out-dir', dir,
        file, join(dir, 'state_dict.pth'), join(dir, 'state_dict_zip64.pth'),
      ]);
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; loader: string; keys: number; shared: boolean });
      expect(lines.map((l) => l.file)).toEqual(['checkpoint_final.pth', 'state_dict.pth', 'state_dict_zip64.pth']);
      for (const l of lines) {
        expect(l.keys).toBe(withTorchAliases(weights).size);
        expect(l.shared).toBe(true);
        const theirs = new Float32Array(readFileSync(join(dir, `${l.file}.out.f32`)).buffer.slice(0));
        expect(relativeError(theirs, ours), l.file).toBeLessThan(1e-4);
      }
      // The nnssl checkpoint's plan holds floats (eps 1e-05): torch ≥ 2.0 reads them with weights_only=True,
      // torch 1.13's weights-only unpickler has no float opcode, so there its allow-list + BINFLOAT is used.
      expect(lines[0]!.loader).toMatch(/^weights_only=True$|^torch 1\.13 weights-only allow-list \+ BINFLOAT$/);
      expect(lines[1]!.loader).toBe('weights_only=True');
      expect(lines[2]!.loader).toBe('weights_only=True');
      expect(existsSync(join(dir, 'checkpoint_final.pth.out.f32'))).toBe(true);
    });
  });
});
