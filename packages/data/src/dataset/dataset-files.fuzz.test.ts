import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  applyJsonMutations, applyMutations, byteMutations, describeJsonMutations, describeMutations, fuzzSettings, jsonMutations, parserOutcome,
} from '@openmind-ssl/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { planExperiment, plansToNnssl } from '../preprocess/plans.js';
import { readPlans } from '../preprocess/store-files.js';
import { generateSyntheticOpenMind } from '../synth/synth-openmind.js';
import { buildOpenMindCollection } from './build-openmind.js';
import { indexDataset } from './index-dataset.js';
import { readPretrainData } from './read-pretrain-data.js';
import { pretrainDataToJson } from './write-pretrain-data.js';

// Mutations of the dataset's text files as our writers make them (a synthetic OpenMind root's
// openneuro_metadata.csv, its pretrain_data.json, the preprocessing plans): each must be read, or
// refused with an OpenMindError naming the file, within time and memory bounds. Bytes and JSON trees
// are both mutated, so that deep fields get wrong types and extreme values, not only broken syntax.
const work = mkdtempSync(join(tmpdir(), 'om-dataset-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const root = join(work, 'root');
let csv = new Uint8Array();
let pretrainJson: unknown;
let plansJson: unknown;
const tally: Record<string, { read: number; refused: number }> = {};

beforeAll(async () => {
  await generateSyntheticOpenMind({ out: root, subjects: 2, seed: 3, sizeMm: 24 });
  csv = new Uint8Array(readFileSync(join(root, 'openneuro_metadata.csv')));
  pretrainJson = pretrainDataToJson((await indexDataset(root)).collection);
  plansJson = plansToNnssl(planExperiment([[1, 1, 1], [0.9, 1, 3]], 'Dataset001_OpenMind'));
}, 120_000);

async function check(parser: string, file: string, input: string, parse: () => Promise<unknown> | unknown, size: number): Promise<void> {
  const out = await parserOutcome(parse, { names: file, timeLimitMs: 3000, allocationLimit: Math.max(1 << 20, 16 * size), input });
  const t = (tally[parser] ??= { read: 0, refused: 0 });
  if (out.ok) t.read++;
  else t.refused++;
}

type Edit = { bytes: Parameters<typeof applyMutations>[1] } | { json: ReturnType<typeof applyJsonMutations> extends unknown ? Parameters<typeof applyJsonMutations>[1] : never };
const edits = (size: number) => fc.oneof(byteMutations(size).map((bytes): Edit => ({ bytes })), jsonMutations().map((json): Edit => ({ json })));

function mutated(seedText: Uint8Array, seedJson: unknown, e: Edit): { bytes: Uint8Array; input: string } {
  if ('bytes' in e) return { bytes: applyMutations(seedText, e.bytes), input: describeMutations(e.bytes) };
  return { bytes: new TextEncoder().encode(JSON.stringify(applyJsonMutations(seedJson, e.json)) ?? 'null'), input: describeJsonMutations(e.json, seedJson) };
}

describe('dataset files on mutated input', () => {
  it('pretrain_data.json: read or refused naming the file', async () => {
    const text = new TextEncoder().encode(JSON.stringify(pretrainJson, null, 1));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(edits(text.length), async (e) => {
        const { bytes, input } = mutated(text, pretrainJson, e);
        const file = join(work, `pretrain-${n++}.json`);
        writeFileSync(file, bytes);
        await check('pretrain_data.json', file, input, () => readPretrainData(file), bytes.length);
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
  });

  it('openneuro_metadata.csv: the OpenMind root is indexed or refused naming the file', async () => {
    // One root whose images are the synthetic root's (a link), its CSV rewritten for every case.
    const dir = join(work, 'csv-root');
    mkdirSync(dir);
    symlinkSync(join(root, 'OpenMind'), join(dir, 'OpenMind'));
    const file = join(dir, 'openneuro_metadata.csv');
    await fc.assert(
      fc.asyncProperty(byteMutations(csv.length, [], 4096), async (m) => {
        const bytes = applyMutations(csv, m);
        writeFileSync(file, bytes);
        await check('openneuro_metadata.csv', file, describeMutations(m), () => buildOpenMindCollection(dir), bytes.length);
      }),
      { ...fuzzSettings(0.5), endOnFailure: true },
    );
  });

  it('nnsslPlans.json: read or refused naming the file', async () => {
    const text = new TextEncoder().encode(JSON.stringify(plansJson, null, 1));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(edits(text.length), async (e) => {
        const { bytes, input } = mutated(text, plansJson, e);
        const dir = join(work, `plans-${n++}`);
        const file = join(dir, 'nnsslPlans.json');
        mkdirSync(dir);
        writeFileSync(file, bytes);
        await check('nnsslPlans.json', file, input, () => readPlans(dir), bytes.length);
      }),
      { ...fuzzSettings(), endOnFailure: true },
    );
    console.info(`dataset-files fuzz: ${JSON.stringify(tally)}`);
  });
});
