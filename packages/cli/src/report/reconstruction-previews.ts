import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HostBatch, Rng, type SSLMethod, tidy } from '@openmind-ssl/core';
import { displayWindow, middleSlicePng } from './slice-png.js';
import type { PreviewSet } from './write-report.js';

/** Whether a method has the reconstruction capability. */
export function canReconstruct(m: SSLMethod): m is SSLMethod & Required<Pick<SSLMethod, 'reconstruct'>> {
  return typeof m.reconstruct === 'function';
}

/**
 * Writes input / corrupted input / reconstruction PNGs of the middle slice of sample 0 into report/, all
 * in the input's display window, for a method with the `reconstruct` capability — with the same draws
 * every time (seeded), so start and end compare.
 */
export async function writeReconstructionPreviews(
  method: SSLMethod & Required<Pick<SSLMethod, 'reconstruct'>>, batch: HostBatch, reportDir: string, tag: string, title: string,
): Promise<PreviewSet> {
  const net = method.network;
  const wasTraining = net.training;
  net.eval();
  const engine = net.parameters()[0]!.engine;
  const r = engine.noGrad(() => tidy(() => method.reconstruct(batch, new Rng(20250101))));
  const [input, corrupted, output] = [await r.input.floats(), await r.corrupted.floats(), await r.output.floats()];
  for (const t of new Set([r.input, r.corrupted, r.output])) t.dispose();
  net.train(wasTraining);
  const sampleSize = batch.shape.slice(1).reduce((a, b) => a * b, 1);
  const [lo, hi] = displayWindow(input, sampleSize);
  const images = [
    { file: `${tag}-input.png`, caption: 'input', data: input },
    { file: `${tag}-corrupted.png`, caption: 'what the network saw', data: corrupted },
    { file: `${tag}-reconstruction.png`, caption: 'reconstruction', data: output },
  ];
  for (const i of images) await writeFile(join(reportDir, i.file), middleSlicePng(i.data, batch.shape, lo, hi));
  return { title, images: images.map(({ file, caption }) => ({ file, caption })) };
}
