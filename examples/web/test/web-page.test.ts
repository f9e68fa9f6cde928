import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@openmind-ssl/core';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';
import { createTfjsBackend } from '@openmind-ssl/backend-tfjs';
import { requireReference } from '@openmind-ssl/testing';
import { readPretrainedCheckpoint } from '@openmind-ssl/task-segmentation';
import type { Browser, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumMissing, launchChromium } from './browser.js';
import { checkpointFiles, nodeLogits, writeSyntheticScan, writeTinyCheckpoint } from './fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where a person can look at the page after each step. */
const SHOTS = join(root, 'test', 'screenshots');
const runs = requireReference('Chromium', chromiumMissing());

/** Logits may differ by float32 rounding between WebGPU/tfjs in the browser and tfjs in Node; 1e-3 absolute. */
const LOGIT_TOLERANCE = 1e-3;

describe.runIf(runs)('the web page in headless Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'openmind-web-'));
  const scan = join(work, 'synthetic_T1w.nii.gz');
  const ckpt = join(work, 'checkpoint_final');
  let server: PreviewServer;
  let browser: Browser;
  let url: string;
  let expected: { logits: Float32Array; shape: number[] };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const tfjs = createTfjsBackend({ variant: 'cpu' });
    await tfjs.init();
    setBackend(tfjs);
    await writeSyntheticScan(scan);
    await writeTinyCheckpoint(ckpt);
    const node = await nodeLogits(scan, ckpt, false);
    expected = { logits: node.logits, shape: [...node.shape] };
    await build({ root, logLevel: 'error', build: { outDir: join(work, 'dist'), emptyOutDir: true } });
    server = await preview({ root, logLevel: 'warn', build: { outDir: join(work, 'dist') }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
    url = server.resolvedUrls!.local[0]!;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  async function openPage(backend: 'webgpu' | 'tfjs'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A loaded 2-core machine and a software GPU: give each step time rather than fail on a slow start.
    page.setDefaultTimeout(90_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?backend=${backend}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
    expect(errors).toEqual([]);
    return page;
  }

  async function finished(page: Page, step: string): Promise<void> {
    await page.waitForSelector(`body[data-state="${step}-done"], body[data-state="${step}-failed"]`, { timeout: 90_000 });
    const message = await page.textContent('#message');
    expect(message, `${step} failed in the page`).toBe('');
  }

  async function segmentAndCompare(page: Page, backend: string): Promise<void> {
    await page.setInputFiles('#scan-input', scan);
    await finished(page, 'scan');
    await page.screenshot({ path: join(SHOTS, `${backend}-1-scan.png`) });
    await page.setInputFiles('#segment-checkpoint', checkpointFiles(ckpt));
    await page.uncheck('#segment-mirroring');
    await page.click('#segment-button');
    await finished(page, 'segment');
    await page.screenshot({ path: join(SHOTS, `${backend}-2-segmented.png`) });
    const got = await page.evaluate(() => (window as unknown as { openmindResults: { backend: string; segment: { logits: number[]; logitShape: number[] } } }).openmindResults);
    expect(got.backend).toBe(backend);
    expect(got.segment.logitShape).toEqual(expected.shape);
    let worst = 0;
    for (let i = 0; i < expected.logits.length; i++) worst = Math.max(worst, Math.abs(got.segment.logits[i]! - expected.logits[i]!));
    console.info(`${backend}: ${expected.logits.length} logits, max |browser − Node| = ${worst.toExponential(2)}; ${await page.textContent('#segment-status')}`);
    expect(worst).toBeLessThan(LOGIT_TOLERANCE);
  }

  it('shows the backend it chose and why', async () => {
    const page = await openPage('webgpu');
    expect(await page.textContent('#backend-status')).toMatch(/^WebGPU — chosen by you; .*adapter|WebGPU — chosen by you;/);
    await page.close();
  });

  it('segments the scan on WebGPU with Node\'s logits', async () => {
    const page = await openPage('webgpu');
    await segmentAndCompare(page, 'webgpu');
    await page.close();
  }, 300_000);

  it('pre-trains on WebGPU with a falling loss, offers a checkpoint finetune reads, and reconstructs with it', async () => {
    const page = await openPage('webgpu');
    await page.setInputFiles('#scan-input', scan);
    await finished(page, 'scan');
    await page.fill('#pretrain-steps', '5');
    await page.selectOption('#pretrain-patch', '16');
    await page.fill('#pretrain-batch', '1');
    await page.click('#pretrain-button');
    await finished(page, 'pretrain');
    await page.screenshot({ path: join(SHOTS, 'webgpu-3-pretrained.png') });
    const losses = await page.evaluate(() => (window as unknown as { openmindResults: { losses: number[] } }).openmindResults.losses);
    expect(losses).toHaveLength(5);
    console.info(`webgpu pre-training: ${await page.textContent('#pretrain-status')}`);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // The download is what `openmind finetune --pretrained` reads: weights with their adaptation plan.
    const bytes = await page.evaluate(async () => Array.from(new Uint8Array(await (await fetch((document.getElementById('pretrain-download') as HTMLAnchorElement).href)).arrayBuffer())));
    const file = join(work, 'mae-pretrained.safetensors');
    writeFileSync(file, Uint8Array.from(bytes));
    const pretrained = await readPretrainedCheckpoint(file);
    expect(pretrained.plan.architecture_plans.arch_class_name).toBe('ResidualEncoderUNet');
    expect(pretrained.weights.size).toBeGreaterThan(20);
    await page.setInputFiles('#mae-checkpoint', file);
    await page.click('#mae-button');
    await finished(page, 'reconstruct');
    for (const view of ['masked', 'reconstruction'] as const) {
      await page.check(`input[name="mae-view"][value="${view}"]`);
      await page.screenshot({ path: join(SHOTS, `webgpu-4-mae-${view}.png`) });
    }
    const mse = await page.evaluate(() => (window as unknown as { openmindResults: { maskedMse: number } }).openmindResults.maskedMse);
    expect(Number.isFinite(mse)).toBe(true);
    await page.close();
  }, 300_000);

  it('segments the scan on the TensorFlow.js fallback with Node\'s logits', async () => {
    const page = await openPage('tfjs');
    expect(await page.textContent('#backend-status')).toMatch(/^TensorFlow\.js \(CPU\) — TensorFlow\.js CPU backend: chosen by you/);
    await segmentAndCompare(page, 'tfjs');
    await page.close();
  }, 300_000);

  it('refuses a file that is not NIfTI and a checkpoint for another channel count, saying why', async () => {
    const page = await openPage('tfjs');
    await page.setInputFiles('#scan-input', { name: 'notes.nii', mimeType: 'application/octet-stream', buffer: Buffer.from('not a volume'.repeat(40)) });
    await page.waitForSelector('body[data-state="scan-failed"]');
    expect(await page.textContent('#message')).toMatch(/NIfTI "notes\.nii": sizeof_hdr must be 348/);
    await page.setInputFiles('#scan-input', { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('png') });
    await page.waitForSelector('body[data-state="scan-failed"]');
    expect(await page.textContent('#message')).toMatch(/"photo\.png" is not a NIfTI file/);
    const twoChannel = join(work, 'two_channel.nii.gz');
    await writeNifti(twoChannel, createNiftiImage(new Float32Array(8 * 8 * 8 * 2).fill(1), [8, 8, 8, 2]));
    await page.setInputFiles('#scan-input', twoChannel);
    await finished(page, 'scan');
    await page.setInputFiles('#segment-checkpoint', checkpointFiles(ckpt));
    await page.click('#segment-button');
    await page.waitForSelector('body[data-state="segment-failed"]');
    expect(await page.textContent('#message')).toMatch(/checkpoint segments 1-channel input \(T1\), but "two_channel\.nii\.gz" has 2 channel\(s\)/);
    await page.screenshot({ path: join(SHOTS, 'refusal.png') });
    await page.close();
  });
});
