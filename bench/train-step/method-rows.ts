// The train-step rows beyond MAE: one line per method (or task step). A row's file in this folder holds
// its step; its PyTorch reference is bench/train_step_<name>_ref.py.
import { finetuneRow } from './finetune.js';
import type { MethodRow } from './method-row.js';
import { modelsGenesisRow } from './models-genesis.js';
import { simclrRow } from './simclr.js';
import { simmimRow } from './simmim.js';
import { sparkRow } from './spark.js';
import { swinunetrRow } from './swinunetr.js';
import { vocoRow } from './voco.js';
import { volumeFusionRow } from './volume-fusion.js';

export const METHOD_ROWS: readonly MethodRow[] = [
  simclrRow,
  vocoRow,
  swinunetrRow,
  modelsGenesisRow,
  volumeFusionRow,
  simmimRow,
  sparkRow,
  finetuneRow,
];

export function methodRow(name: string): MethodRow {
  const row = METHOD_ROWS.find((r) => r.name === name);
  if (!row) throw new Error(`bench/train-step/method-rows.ts: no row named '${name}' (rows: ${METHOD_ROWS.map((r) => r.name).join(', ')})`);
  return row;
}
