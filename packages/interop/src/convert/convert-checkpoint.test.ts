import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AdaptationPlan, loadSafetensors, OpenMindError, readSafetensorsHeader, Rng, saveCheckpoint, setBackend } from '@openmind-ssl/core';
import { resencFactory, withTorchAliases } from '@openmind-ssl/arch-resenc';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { pyToTaggedJson } from '../pickle/py-json.js';
import { PyDict, TorchTensor } from '../pickle/py-value.js';
import { readNnsslCheckpoint } from '../nnssl/read-nnssl-checkpoint.js';
import { readPth } from '../pth/read-pth.js';
import { rawTensorOf, tensorsIn } from '../pth/tensor-tree.js';
import { fixturePath } from '../test-support/fixtures.js';
import type { RawTensor } from '../torch/raw-tensor.js';
import { PLAN_METADATA_KEY } from './checkpoint-content.js';
import { convertCheckpoint } from './convert-checkpoint.js';

setBackend(new ReferenceBackend());
const made: string[] = [];
const tmp = (): string => {
  made.push(mkdtempSync(join(tmpdir(), 'om-convert-')));
  return made.at(-1)!;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Every tensor of a .pth by path, and the rest of the object with tensors named by path. */
async function contents(path: string): Promise<{ tensors: Map<string, RawTensor>; tree: unknown }> {
  const pth = await readPth(path);
  const tensors = new Map<string, RawTensor>();
  // Name each view by its first path: a tensor object pickled twice (memo) and two views of one storage
  // region are the same thing to torch.load.
  const byView = new Map<string, string>();
  const names = new Map<unknown, string>();
  for (const [p, t] of tensorsIn(pth.root)) {
    const view = t instanceof TorchTensor ? `${t.storage.key}|${t.offset}|${t.shape}|${t.stride}` : p.join('/');
    if (!byView.has(view)) byView.set(view, p.join('/'));
    tensors.set(p.join('/'), rawTensorOf(t, p.join('/')));
    names.set(t, byView.get(view)!);
  }
  return { tensors, tree: pyToTaggedJson(pth.root, (t) => names.get(t)!) };
}

async function thrown(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(OpenMindError);
  return (e as Error).message;
}

describe('convertCheckpoint', () => {
  for (const name of ['zoo.pth', 'zoo-legacy.pth']) {
    describe(`having ${name} (every dtype, views, numpy values, nested data)`, () => {
      it('should go .pth → .safetensors → .pth keeping every tensor name, shape, dtype and byte, and the rest of the object', async () => {
        const dir = tmp();
        const st = join(dir, 'zoo.safetensors');
        const back = join(dir, 'zoo.pth');
        const s1 = await convertCheckpoint(fixturePath(name), st);
        expect(s1).toMatchObject({ from: 'pth', to: 'safetensors', planJson: undefined });
        const header = await readSafetensorsHeader(st);
        const codes = Object.fromEntries(header.entries.map((e) => [e.name, e.dtype]));
        expect(codes).toMatchObject({ i64: 'I64', f64: 'F64', f16: 'F16', bf16: 'BF16', bool: 'BOOL', i16: 'I16', i8: 'I8', u8: 'U8', np_i64_arr: 'I64' });
        expect(codes['shared_b']).toBeUndefined(); // the same tensor as shared_a: stored once
        await convertCheckpoint(st, back);
        const [a, b] = await Promise.all([contents(fixturePath(name)), contents(back)]);
        expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()]);
        for (const [k, t] of a.tensors) {
          const u = b.tensors.get(k)!;
          // numpy arrays come back as tensors (weights-only torch.load cannot rebuild numpy), same dtype/bytes
          expect({ k, dtype: u.dtype, shape: u.shape }).toEqual({ k, dtype: t.dtype, shape: t.shape });
          expect(Buffer.compare(Buffer.from(u.data), Buffer.from(t.data)), k).toBe(0);
        }
        expect(b.tree).toEqual(a.tree);
        const root = (await readPth(back)).root as PyDict;
        expect((root.get('shared_a') as TorchTensor).storage).toBe((root.get('shared_b') as TorchTensor).storage);
      });
    });
  }

  describe("having PyTorch's nnssl checkpoint", () => {
    it('should store network_weights under their keys once (aliases folded), carry the plan, and restore everything', async () => {
      const dir = tmp();
      const st = join(dir, 'micro.safetensors');
      const s = await convertCheckpoint(fixturePath('resenc-micro-nnssl.pth'), st);
      const source = await readNnsslCheckpoint(fixturePath('resenc-micro-nnssl.pth'));
      const { tensors, metadata } = await loadSafetensors(st);
      expect(tensors.has('encoder.stem.convs.0.conv.weight')).toBe(true);
      expect(tensors.has('encoder.stem.convs.0.all_modules.0.weight')).toBe(false);
      expect(tensors.has('optimizer_state.state.0.momentum_buffer')).toBe(true);
      // 50 distinct weights (110 alias keys folded) + 48 momentum buffers (seg_layers.0 gets no gradient
      // without deep supervision, so SGD keeps no buffer for it)
      expect(s.tensors).toBe(50 + 48);
      expect(JSON.parse(metadata[PLAN_METADATA_KEY]!)).toEqual(source.plan);
      expect(JSON.parse(readFileSync(s.planJson!, 'utf8'))).toEqual(source.plan);
      const back = join(dir, 'checkpoint_final.pth');
      await convertCheckpoint(st, back);
      const again = await readNnsslCheckpoint(back);
      expect([...again.weights.keys()]).toEqual([...source.weights.keys()]);
      for (const [k, t] of source.weights) expect(Buffer.compare(Buffer.from(again.weights.get(k)!.data), Buffer.from(t.data)), k).toBe(0);
      expect(again.plan).toEqual(source.plan);
      expect(again.trainerName).toBe('BaseMAETrainer_BS8');
    });
  });

  describe('having one of our checkpoint directories', () => {
    const architectures = [resencFactory];
    it('should export nnssl-style .pth (alias keys added) and .safetensors, both with the plan', async () => {
      const dir = tmp();
      const net = resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(3) });
      const plan: AdaptationPlan = {
        architecture_plans: net.architecturePlans(), pretrain_plan: {}, pretrain_num_input_channels: 1, recommended_downstream_patchsize: [16, 16, 16],
        key_to_encoder: net.keyToEncoder, key_to_stem: net.keyToStem, keys_to_in_proj: [...net.keysToInProj], key_to_lpe: null,
      };
      const ckptDir = join(dir, 'run', 'step-00000001');
      await saveCheckpoint(ckptDir, net, undefined, { epoch: 1, step: 1, rng: { seed: 0, step: 1 }, config: { method: 'mae' }, adaptationPlan: plan, metrics: { trainLoss: [0.5] } });
      const out = join(dir, 'export', 'checkpoint_final.pth');
      const s = await convertCheckpoint(ckptDir, out, { architectures });
      expect(s.from).toBe('checkpoint-dir');
      expect(s.notes).toEqual([]);
      const ckpt = await readNnsslCheckpoint(out);
      expect([...ckpt.weights.keys()]).toEqual([...withTorchAliases(net.stateDict()).keys()]);
      expect(ckpt.plan).toEqual(plan);
      const st = join(dir, 'export', 'model.safetensors');
      await convertCheckpoint(ckptDir, st);
      const { tensors, metadata } = await loadSafetensors(st);
      expect([...tensors.keys()]).toEqual([...net.stateDict().keys()]);
      expect(JSON.parse(metadata['openmind.checkpoint']!)).toMatchObject({ step: 1, config: { method: 'mae' } });
      // A bare safetensors (no tree in its metadata) with a plan becomes an nnssl checkpoint with aliases.
      const pth = join(dir, 'export', 'from-safetensors.pth');
      await convertCheckpoint(st, pth, { architectures });
      expect((await readNnsslCheckpoint(pth)).weights.size).toBe(withTorchAliases(net.stateDict()).size);
      // Without a factory that builds the plan's architecture, keys are written as stored, and a note says so.
      const plain = join(dir, 'export', 'no-aliases.pth');
      const bare = await convertCheckpoint(st, plain);
      expect([...(await readNnsslCheckpoint(plain)).weights.keys()]).toEqual([...net.stateDict().keys()]);
      expect(bare.notes).toEqual(["no loaded architecture builds 'ResidualEncoderUNet', so its PyTorch alias keys (if any) were not added"]);
      net.dispose();
    });
  });

  describe('having a refused or broken input', () => {
    it('should throw a clear error and write nothing', async () => {
      const dir = tmp();
      const evil = join(dir, 'evil.pth');
      writeFileSync(evil, Uint8Array.from([0x80, 2, ...new TextEncoder().encode('cos\nsystem\n'), 0x29, 0x52, 0x2e]));
      const msg = await thrown(convertCheckpoint(evil, join(dir, 'out.safetensors')));
      expect(msg).toContain("'os.system'");
      expect(msg).toContain(evil);
      const truncated = join(dir, 'truncated.safetensors');
      writeFileSync(truncated, readFileSync(fixturePath('zoo.pth')).subarray(0, 40));
      expect(await thrown(convertCheckpoint(truncated, join(dir, 'x.pth')))).toMatch(/truncated|corrupt/);
      expect(await thrown(convertCheckpoint(fixturePath('zoo.pth'), join(dir, 'out.onnx')))).toContain('must end in .pth, .pt or .safetensors');
      expect(await thrown(convertCheckpoint(join(dir, 'missing.pth'), join(dir, 'x.safetensors')))).toContain('cannot open');
    });
  });
});
