import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HostBatch, Rng, type SSLMethod, type Tensor, tidy } from '@openmind-ssl/core';
import { displayWindow, middleSlicePng } from './slice-png.js';
import type { PreviewSet } from './write-report.js';

/** A method that can show what it reconstructs (MAE-style). */
export interface Reconstructing {
  reconstruct(batch: HostBatch, rng: Rng): { maskedInput: Tensor; output: Tensor };
}

export function canReconstruct(m: SSLMethod): m is SSLMethod & Reconstructing {
  return typeof (m as Partial<Reconstructing>).reconstruct === 'function';
}

/**
 * Writes input / masked input / reconstruction PNGs of the middle slice of sample 0 into report/, all
 * in the input's display window, with the same mask every time (seeded), so start and end compare.
 */
export async function writeReconstructionPreviews(method: SSLMethod & Reconstructing, batch: HostBatch, reportDir: string, tag: string, title: string): Promise<PreviewSet> {
  const net = method.network;
  const wasTraining = net.training;
  net.eval();
  const engine = net.parameters()[0]!.engine;
  const { maskedInput, output } = engine.noGrad(() => tidy(() => method.reconstruct(batch, new Rng(20250101))));
  const [masked, recon] = [await maskedInput.floats(), await output.floats()];
  maskedInput.dispose();
  output.dispose();
  net.train(wasTraining);
  const sampleSize = batch.shape.slice(1).reduce((a, b) => a * b, 1);
  const [lo, hi] = displayWindow(batch.image, sampleSize);
  const images = [
    { file: `${tag}-input.png`, caption: 'input', data: batch.image },
    { file: `${tag}-masked.png`, caption: 'masked input', data: masked },
    { file: `${tag}-reconstruction.png`, caption: 'reconstruction', data: recon },
  ];
  for (const i of images) await writeFile(join(reportDir, i.file), middleSlicePng(i.data, batch.shape, lo, hi));
  return { title, images: images.map(({ file, caption }) => ({ file, caption })) };
}
