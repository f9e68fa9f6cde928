import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsHeader } from '@openmind-ssl/core';
import { generateSyntheticOpenMind, openPreprocessedStore, preprocessDataset } from '@openmind-ssl/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyStore } from './store-copy.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');
const node = [process.execPath, '--conditions=@openmind-ssl/source', '--import', 'tsx', bin] as const;

function openmind(args: string[]) {
  const r = spawnSync(node[0], [...node.slice(1), ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function losses(runDir: string): Map<number, number> {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return new Map(lines.map((l) => JSON.parse(l) as { step: number; loss: number }).map((r) => [r.step, r.loss]));
}

let store = '';
/** The same cases with a train/val split beside them: 1 channel, and 2 channels. */
let splitStore = '';
let twoChannelStore = '';
const toyPlugin = join(repo, 'packages', 'testing', 'src', 'plugins', 'toy-plugin.ts');
const tiny = ['--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16', '--workers', '1', '--batch-size', '2'];

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-cli-data-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
  const subjects = [...new Set(openPreprocessedStore(store).cases.map((c) => c.subjectId))];
  const split = { train: subjects.slice(0, -1), val: subjects.slice(-1) };
  splitStore = await copyStore(store, join(root, 'split-1ch'), 1, split);
  twoChannelStore = await copyStore(store, join(root, 'split-2ch'), 2, split);
}, 300_000);

describe('openmind', () => {
  it('should list every command in --help', () => {
    const r = openmind(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['demo', 'pretrain', 'preprocess', 'data', 'backends', 'convert', 'predict', 'evaluate', 'export', 'plugins']) expect(r.out).toMatch(new RegExp(`\\n  ${c} `));
  });

  it('should document every pretrain flag in pretrain --help', () => {
    const r = openmind(['pretrain', '--help']);
    for (const f of ['--method', '--arch', '--data', '--backend', '--out', '--epochs', '--iterations', '--batch-size', '--patch-size', '--seed', '--resume', '--plugin']) {
      expect(r.out).toContain(f);
    }
  });

  it('should reject an unknown option with the closest one and exit 2', () => {
    const r = openmind(['pretrain', '--epoch', '3']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option '--epoch'.*Did you mean 'epochs'\?/);
  });

  it('should list the backends that start here and name the one used when none is chosen', () => {
    const r = openmind(['backends']);
    expect(r.code, r.err).toBe(0);
    const available = r.out.split('unavailable:')[0]!.split('\n').filter((l) => /^ {2}\S/.test(l));
    expect(available.some((l) => l.trim().startsWith('onnxruntime'))).toBe(true);
    // The first one without "only when named" is what selectBackend picks (a software WebGPU adapter is not).
    const automatic = available.find((l) => !l.includes('only when named'))!.trim().split(/\s+/)[0];
    expect(r.out).toContain(`Without --backend <name> or OPENMIND_BACKEND, '${automatic}' is used.`);
  });

  it('should list every loaded plugin with the methods, architectures (and presets) and backends it provides', () => {
    const r = openmind(['plugins', '--plugin', '@openmind-ssl/example-ssl-rotation']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/\n  mae 1\.0\.0\n    SSL method +mae\n/);
    expect(r.out).toMatch(/\n    architecture +resenc \(presets: resenc-l, resenc-small, resenc-tiny\)\n/);
    expect(r.out).toMatch(/\n    architecture +primus \(presets: primus-s, primus-b, primus-m, primus-l, primus-tiny\)\n/);
    expect(r.out).toMatch(/\n    backend +onnxruntime \(priority \d+\)\n/);
    expect(r.out).toMatch(/\n  rotation 1\.0\.0\n    SSL method +rotation\n/);
  });

  it('should find the architecture family from the preset through the factories, and suggest the closest preset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cli-arch-'));
    const typo = openmind(['pretrain', '--data', store, '--out', join(dir, 'a'), ...tiny, '--arch', 'resenc-tinny']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/unknown architecture preset 'resenc-tinny'; presets: resenc-l \(resenc\), .*primus-tiny \(primus\)\. Did you mean 'resenc-tiny'\?/);
    // primus-tiny belongs to the token-transformer family, so MAE validates its config with the token
    // variant's schema, which has no blockSize: the run stops there, before any training.
    const token = openmind(['pretrain', '--data', store, '--out', join(dir, 'b'), ...tiny, '--arch', 'primus-tiny', '--method-config', '{"blockSize":4}']);
    expect(token.code).toBe(2);
    expect(token.err).toMatch(/SSL method 'mae': invalid config — 'blockSize': not an option \(options: maskRatio, decoderDepth/);
  });

  it('should say which backend is unknown and list the registered ones', () => {
    const r = openmind(['pretrain', '--data', store, '--backend', 'cuda-magic']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/backend 'cuda-magic' is not registered; registered: .*onnxruntime/);
  });

  it('should pre-train MAE and write metrics, checkpoints, the adaptation plan and the report', () => {
    const out = mkdtempSync(join(tmpdir(), 'om-cli-mae-'));
    const r = openmind(['pretrain', '--data', store, '--out', out, '--epochs', '2', '--iterations', '3', '--method-config', '{"blockSize":4}', ...tiny]);
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(['epoch', 'step', 'loss', 'lr']));
    expect(existsSync(join(out, 'checkpoints', 'step-00000006', 'model.safetensors'))).toBe(true);
    const plan = JSON.parse(readFileSync(join(out, 'adaptation_plan.json'), 'utf8'));
    expect(plan.key_to_encoder).toBe('encoder.stages');
    // The trained configuration of the store's plan travels with the weights, with the run's patch (nnssl-spec §6.2).
    expect(Object.keys(plan.pretrain_plan.configurations)).toEqual(['onemmiso']);
    expect(plan.pretrain_plan.configurations.onemmiso).toMatchObject({ spacing: [1, 1, 1], patch_size: [16, 16, 16] });
    expect(plan.recommended_downstream_patchsize).toEqual([160, 160, 160]);
    const page = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    expect(page).toContain('loss.svg');
    // MAE reconstructs, so the report shows its previews before and after training.
    for (const f of ['start-corrupted.png', 'end-reconstruction.png']) {
      expect(page).toContain(f);
      expect(existsSync(join(out, 'report', f))).toBe(true);
    }
    // Starting another run in the same folder without --resume would mix two runs' checkpoints.
    const again = openmind(['pretrain', '--data', store, '--out', out, '--epochs', '1', '--iterations', '1', ...tiny]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds checkpoints of an earlier run \(step-00000006\)\. Pass --resume/);
  }, 300_000);

  it("should hold out nnssl's validation subjects, validate after each epoch and chart it", async () => {
    const root = mkdtempSync(join(tmpdir(), 'om-cli-val-'));
    await generateSyntheticOpenMind({ out: root, subjects: 6, seed: 5, sizeMm: 32 });
    const valStore = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
    const out = join(root, 'run');
    const r = openmind(['pretrain', '--data', valStore, '--out', out, '--epochs', '2', '--iterations', '2', '--val-iterations', '2', '--method-config', '{"blockSize":4}', ...tiny]);
    expect(r.code, r.err).toBe(0);
    // 6 subjects: nnssl holds out max(⌊6/100⌋, 5) = 5 of them, drawn by random.Random(12345).
    const split = JSON.parse(readFileSync(join(out, 'splits_final.json'), 'utf8')) as { train: string[]; val: string[] };
    expect(split.val).toHaveLength(5);
    expect(split.train).toHaveLength(1);
    expect(split.val).not.toContain(split.train[0]);
    const manifest = JSON.parse(readFileSync(join(valStore, 'manifest.json'), 'utf8')) as { cases: { subjectId: string }[] };
    const valCases = manifest.cases.filter((c) => split.val.includes(c.subjectId)).length;
    expect(r.err).toContain(`validation: ${valCases} of ${manifest.cases.length} cases held out`);
    const val = readFileSync(join(out, 'val.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; step: number; val_loss: number });
    expect(val.map((v) => [v.epoch, v.step])).toEqual([[0, 2], [1, 4]]);
    expect(val.every((v) => Number.isFinite(v.val_loss) && v.val_loss > 0)).toBe(true);
    expect(r.err).toMatch(/epoch 2\/2: mean loss [\d.]+, validation loss [\d.]+/);
    expect(readFileSync(join(out, 'report', 'index.html'), 'utf8')).toContain('Validation loss after epoch 1');
  }, 300_000);

  it('should refuse an --anatomy-oversampling outside 0…1 and an --update-chunk-mb of 0', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'om-cli-opts-')), 'run');
    const over = openmind(['pretrain', '--data', store, '--out', out, '--anatomy-oversampling', '1.5', ...tiny]);
    expect(over.code).toBe(2);
    expect(over.err).toContain("--anatomy-oversampling: expected a fraction from 0 to 1, got '1.5'");
    const chunk = openmind(['pretrain', '--data', store, '--out', out, '--update-chunk-mb', '0', ...tiny]);
    expect(chunk.code).toBe(2);
    expect(chunk.err).toContain("--update-chunk-mb: expected a positive whole number of MB, 'auto' or 'off', got '0'");
  });

  it('should name a --config file that cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cli-config-'));
    const r = openmind(['pretrain', '--data', store, '--config', join(dir, 'missing.json'), '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--config: cannot read '.*missing\.json' \(ENOENT\)/);
  });

  it('should name a --config file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cli-config-'));
    writeFileSync(join(dir, 'run.json'), '{"method": "mae",');
    const r = openmind(['pretrain', '--data', store, '--config', join(dir, 'run.json'), '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--config: '.*run\.json' is not valid JSON/);
  });

  it('should continue the same loss curve after SIGKILL and --resume', async () => {
    const args = ['--data', store, '--epochs', '2', '--iterations', '4', '--checkpoint-every', '2', '--no-report', '--method-config', '{"blockSize":4}', ...tiny];
    const full = mkdtempSync(join(tmpdir(), 'om-cli-full-'));
    expect(openmind(['pretrain', ...args, '--out', full]).code).toBe(0);
    const killed = mkdtempSync(join(tmpdir(), 'om-cli-kill-'));
    const child = spawn(node[0], [...node.slice(1), 'pretrain', ...args, '--out', killed], { cwd: repo, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const log = join(killed, 'metrics.jsonl');
        if (existsSync(log) && readFileSync(log, 'utf8').trim().split('\n').length >= 5) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
    });
    await new Promise((r) => child.once('exit', r));
    expect(losses(killed).size).toBeLessThan(8);
    expect(openmind(['pretrain', ...args, '--out', killed, '--resume']).code).toBe(0);
    const expected = losses(full);
    const resumed = losses(killed);
    expect([...resumed.keys()]).toEqual([...expected.keys()]);
    for (const [step, loss] of expected) expect(resumed.get(step), `step ${step}`).toBeCloseTo(loss, 5);
  }, 600_000);

  it('should write the loss and validation curves for a method with no report capabilities', () => {
    const out = mkdtempSync(join(tmpdir(), 'om-cli-toy-'));
    const r = openmind(['pretrain', '--plugin', toyPlugin, '--method', 'toy-denoise', '--data', splitStore, '--out', out, '--epochs', '2', '--iterations', '2', '--val-iterations', '1', ...tiny]);
    expect(r.code, r.err).toBe(0);
    const page = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    expect(page).toContain('<img src="loss.svg"');
    expect(page).toContain('Validation loss after epoch 1');
    expect(readFileSync(join(out, 'report', 'loss.svg'), 'utf8')).toContain('validation after each epoch');
    expect(page).not.toMatch(/reconstruction\.png|panel-/);
  }, 300_000);

  it('should pre-train a third-party method loaded with --plugin, with the channels of the data and its own report panel', async () => {
    const out = mkdtempSync(join(tmpdir(), 'om-cli-plugin-'));
    const r = openmind(['pretrain', '--plugin', '@openmind-ssl/example-ssl-rotation', '--method', 'rotation', '--data', twoChannelStore, '--out', out, '--epochs', '1', '--iterations', '3', '--val-iterations', '1', ...tiny]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('pretrain: rotation on resenc-tiny');
    expect(r.err).toContain('2 input channels');
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    // Input channels come from the store: the stem convolution takes 2, and the plan says so.
    expect(JSON.parse(readFileSync(join(out, 'adaptation_plan.json'), 'utf8')).pretrain_num_input_channels).toBe(2);
    const header = await readSafetensorsHeader(join(out, 'checkpoints', 'step-00000003', 'model.safetensors'));
    expect(header.entries.find((e) => e.name === 'backbone.encoder.stem.convs.0.conv.weight')?.shape.slice(0, 2)).toEqual([8, 2]);
    // The method's confusion-matrix panel, before and after training, drawn as a heat map.
    const page = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    expect(page).toContain('<h2>Rotation confusion matrix after training</h2>');
    expect(page).toContain('<img src="end-panel-1.svg"');
    expect(readFileSync(join(out, 'report', 'start-panel-1.svg'), 'utf8')).toContain('<svg');
    expect(page).toContain('Validation loss after epoch 1');
  }, 300_000);
});
