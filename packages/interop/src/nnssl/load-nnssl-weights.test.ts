import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Module, OpenMindError, Rng, setBackend } from '@openmind-ssl/core';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PickleWriter, WritableTensor } from '../pickle/pickle-writer.js';
import { PyDict, type PyValue } from '../pickle/py-value.js';
import { encodePthBytes, writePth } from '../pth/write-pth.js';
import { fixturePath } from '../test-support/fixtures.js';
import { float32Raw } from '../torch/raw-tensor.js';
import { ZipWriter } from '../zip/zip-writer.js';
import { loadNnsslWeights } from './load-nnssl-weights.js';
import { networkFromAdaptationPlan } from './network-from-plan.js';
import { readNnsslCheckpoint } from './read-nnssl-checkpoint.js';

setBackend(new ReferenceBackend());

const snapshot = async (m: Module): Promise<Map<string, number[]>> =>
  new Map(await Promise.all([...m.stateDict()].map(async ([k, t]) => [k, Array.from(await t.data())] as [string, number[]])));

async function zipBytes(entries: [string, Uint8Array][]): Promise<Uint8Array> {
  const chunks: number[] = [];
  const zip = new ZipWriter(async (c) => {
    for (const b of c) chunks.push(b);
  });
  for (const [n, d] of entries) await zip.add(n, d);
  await zip.finish();
  return Uint8Array.from(chunks);
}

describe('loadNnsslWeights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-load-'));
  const good = fixturePath('resenc-micro-nnssl.pth');
  let model: Module;
  beforeAll(async () => {
    const plan = (await readNnsslCheckpoint(good)).plan!;
    model = networkFromAdaptationPlan(plan, resencFactory, { inChannels: 1, outChannels: 2, rng: new Rng(11) });
  });
  afterAll(() => {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should fine-tune-load stem and encoder from the checkpoint by its own plan', async () => {
    const { checkpoint, report } = await loadNnsslWeights(model, good, { architecture: resencFactory });
    expect(checkpoint.planSource).toBe('checkpoint');
    expect(report.loaded.length).toBeGreaterThan(0);
    expect(report.loaded.every((k) => k.startsWith('encoder.'))).toBe(true);
    expect(report.missing.every((k) => k.startsWith('decoder.'))).toBe(true);
  });

  describe('having a hostile or broken file', () => {
    const cases: [string, () => Promise<Uint8Array>, RegExp][] = [
      ['a pickle naming os.system', async () => zipBytes([['archive/data.pkl', Uint8Array.from([0x80, 2, ...new TextEncoder().encode('cos\nsystem\n'), 0x29, 0x52, 0x2e])], ['archive/version', new TextEncoder().encode('3\n')]]), /refused to unpickle: the pickle names the global 'os\.system'/],
      ['a truncated zip', async () => new Uint8Array(readFileSync(good).subarray(0, 150_000)), /not a complete zip archive/],
      ['a tensor whose storage is too small', async () => {
        const pickle = PickleWriter.dump(new PyDict([['network_weights', new PyDict([['encoder.stem.convs.0.conv.bias', new WritableTensor({ storageKey: '0', dtype: 'float32', storageNumel: 2, offset: 0, shape: [4], stride: [1] }) as never]], true)]] as [string, PyValue][]));
        return zipBytes([['archive/data.pkl', pickle], ['archive/data/0', new Uint8Array(8)], ['archive/version', new TextEncoder().encode('3\n')]]);
      }, /storage too small/],
      ['a key with the wrong shape', async () => {
        const ckpt = await readNnsslCheckpoint(good);
        const weights = new PyDict([...ckpt.weights].map(([k, v]) => [k, (k === 'encoder.stem.convs.0.norm.weight' ? float32Raw([1, 2, 3], [3]) : v) as unknown as PyValue] as [string, PyValue]), true);
        return encodePthBytes(new PyDict([['network_weights', weights]] as [string, PyValue][]));
      }, /'encoder\.stem\.convs\.0\.norm\.weight' is float32\[3\] in the checkpoint, the model expects \[4\]/],
    ];
    for (const [what, make, message] of cases) {
      it(`should refuse ${what} with a clear error naming the file, and leave the model untouched`, async () => {
        const file = join(dir, `${what.replaceAll(' ', '-')}.pth`);
        writeFileSync(file, await make());
        writeFileSync(join(dir, 'adaptation_plan.json'), JSON.stringify((await readNnsslCheckpoint(good)).plan));
        const before = await snapshot(model);
        const err = await loadNnsslWeights(model, file, { architecture: resencFactory }).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(OpenMindError);
        expect((err as Error).message).toMatch(message);
        expect((err as Error).message).toContain(file);
        expect(await snapshot(model)).toEqual(before);
      });
    }
  });

  it('should use adaptation_plan.json beside a checkpoint that has no plan (as SparK writes them)', async () => {
    const ckpt = await readNnsslCheckpoint(good);
    const sub = mkdtempSync(join(dir, 'spark-'));
    await writePth(join(sub, 'checkpoint_final.pth'), new PyDict([['network_weights', new PyDict([...ckpt.weights] as never, true)]] as [string, PyValue][]));
    writeFileSync(join(sub, 'adaptation_plan.json'), JSON.stringify(ckpt.plan));
    const { checkpoint } = await loadNnsslWeights(model, join(sub, 'checkpoint_final.pth'), { architecture: resencFactory });
    expect(checkpoint.planSource).toBe('adaptation_plan.json');
    expect(checkpoint.plan).toEqual(ckpt.plan);
  });
});
