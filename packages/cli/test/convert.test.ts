import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESENC_PRESETS, resEncArchitecturePlans, resEncParameterShapes, withTorchAliases } from '@openmind-ssl/arch-resenc';
import type { AdaptationPlan } from '@openmind-ssl/core';
import { float32Raw, PLAN_METADATA_KEY, readNnsslCheckpoint, writeRawSafetensors } from '@openmind-ssl/interop';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

describe('openmind convert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-cli-convert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should add DNA's alias keys from the architecture plugin that builds the plan's class", async () => {
    // A bare .safetensors of resenc-tiny weights (canonical keys, no .pth structure) with its adaptation plan.
    const config = RESENC_PRESETS['resenc-tiny']!.config;
    const shapes = resEncParameterShapes(config, { inChannels: 1, outChannels: 1 });
    const tensors = new Map(shapes.map(([k, s]) => [k, float32Raw(new Float32Array(s.reduce((a, b) => a * b, 1)), [...s])]));
    const plan: AdaptationPlan = {
      architecture_plans: resEncArchitecturePlans(config, 'ResidualEncoderUNet'), pretrain_plan: {}, pretrain_num_input_channels: 1,
      recommended_downstream_patchsize: [16, 16, 16], key_to_encoder: 'encoder.stages', key_to_stem: 'encoder.stem',
      keys_to_in_proj: ['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'], key_to_lpe: null,
    };
    const st = join(dir, 'model.safetensors');
    await writeRawSafetensors(st, tensors, { [PLAN_METADATA_KEY]: JSON.stringify(plan) });
    const out = join(dir, 'export', 'checkpoint_final.pth');
    const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, 'convert', st, out], { cwd: repo, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('note:');
    const ckpt = await readNnsslCheckpoint(out);
    expect([...ckpt.weights.keys()]).toEqual([...withTorchAliases(tensors).keys()]);
    expect(ckpt.weights.has('encoder.stem.convs.0.all_modules.0.weight')).toBe(true);
  });
});
