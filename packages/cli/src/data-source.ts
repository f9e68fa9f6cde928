import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { preprocessDataset, progressBar } from '@openmind-ssl/data';
import { OpenMindError } from '@openmind-ssl/core';

/** The configuration folder of a preprocessed store under `dir` (itself, or one level down), if any. */
export function findStore(dir: string): string | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (statSync(sub).isDirectory() && existsSync(join(sub, 'manifest.json'))) return sub;
  }
  return undefined;
}

/**
 * Turns `--data` into a preprocessed store: a store is used as it is; a pretrain_data.json, an OpenMind
 * root or a NIfTI folder is preprocessed into `preprocessedDir` first (resumable, so a rerun reuses it).
 * @throws OpenMindError when the path does not exist or nothing could be preprocessed.
 */
export async function resolveStore(data: string, preprocessedDir: string, config = 'onemmiso'): Promise<string> {
  if (!existsSync(data)) throw new OpenMindError(`--data: '${data}' does not exist (give a preprocessed store, pretrain_data.json, an OpenMind root or a NIfTI folder)`);
  const store = findStore(data);
  if (store) return store;
  process.stderr.write(`preprocessing ${data} into ${preprocessedDir} (config ${config})\n`);
  const summary = await preprocessDataset({ input: data, out: preprocessedDir, config, onProgress: progressBar() });
  for (const f of summary.failed) process.stderr.write(`  skipped case ${f.id}: ${f.error}\n`);
  for (const p of summary.indexProblems) process.stderr.write(`  skipped file ${p.path}: ${p.reason}\n`);
  if (summary.total - summary.failed.length === 0) throw new OpenMindError(`--data: no usable image in '${data}'`);
  return summary.dataDir;
}
