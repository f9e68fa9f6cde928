// The page: wires the controls to the compute worker and shows results in NiiVue. Everything heavy runs
// in the worker (src/compute-worker.ts); this file only moves bytes and updates the DOM.
import type { BackendRequest, FileBytes, SegmentReport } from './protocol.js';
import { drawLossChart } from './loss-chart.js';
import { ScanViewer, type OverlayRole } from './scan-viewer.js';
import { WorkerClient } from './worker-client.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = new WorkerClient();
const viewer = new ScanViewer();

/** The page's last results, for scripts driving the page (the browser test reads the logits here). */
const results: { backend?: string; segment?: Omit<SegmentReport, 'labels' | 'logits'> & { logits: number[] }; losses?: number[]; maskedMse?: number } = {};
(window as unknown as { openmindResults: typeof results }).openmindResults = results;

let busy = false;
let scanOpen = false;

function say(message = ''): void {
  $('message').textContent = message;
}

function refreshButtons(): void {
  $<HTMLButtonElement>('segment-button').disabled = busy || !scanOpen || !$<HTMLInputElement>('segment-checkpoint').files?.length;
  $<HTMLButtonElement>('mae-button').disabled = busy || !scanOpen || !$<HTMLInputElement>('mae-checkpoint').files?.length;
  $<HTMLButtonElement>('pretrain-button').disabled = busy || !scanOpen;
  $<HTMLSelectElement>('backend-select').disabled = busy;
}

/** Runs one user action: one at a time, its error shown in the message area, the page marked busy. */
async function action(name: string, run: () => Promise<void>): Promise<void> {
  busy = true;
  refreshButtons();
  say();
  document.body.dataset.state = `${name}-running`;
  try {
    await run();
    document.body.dataset.state = `${name}-done`;
  } catch (e) {
    say(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    document.body.dataset.state = `${name}-failed`;
  } finally {
    busy = false;
    refreshButtons();
  }
}

async function bytesOf(files: FileList | File[]): Promise<FileBytes[]> {
  return Promise.all([...files].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
}

async function chooseBackend(request: BackendRequest): Promise<void> {
  await action('backend', async () => {
    $('backend-status').textContent = 'starting…';
    const report = await worker.request('backend', { request });
    results.backend = report.name;
    $('backend-status').textContent = `${report.name === 'webgpu' ? 'WebGPU' : 'TensorFlow.js (CPU)'} — ${report.reason}`;
    $<HTMLOptionElement>('backend-select').querySelector<HTMLOptionElement>('option[value="webgpu"]')!.disabled = !report.webgpuAvailable;
    if (!report.webgpuAvailable) $('backend-status').title = report.webgpuReason;
  });
}

async function openScan(file: File): Promise<void> {
  await action('scan', async () => {
    $('scan-status').textContent = `reading ${file.name}…`;
    const [bytes] = await bytesOf([file]);
    const report = await worker.request('scan', bytes!, { transfer: [bytes!.bytes] });
    await viewer.showScan(report.nifti, report.name);
    scanOpen = true;
    $('scan-status').textContent = `${report.name}: [${report.shape.join(' × ')}] voxels of ${report.spacing.slice(0, 3).map((s) => s.toFixed(2)).join(' × ')} mm, ${report.orientation}${report.warnings.length ? `\n${report.warnings.join('\n')}` : ''}`;
  });
}

async function segment(): Promise<void> {
  await action('segment', async () => {
    const files = await bytesOf($<HTMLInputElement>('segment-checkpoint').files!);
    const bar = $<HTMLProgressElement>('segment-progress');
    const started = performance.now();
    bar.value = 0;
    const report = await worker.request('segment', { files, mirroring: $<HTMLInputElement>('segment-mirroring').checked }, {
      transfer: files.map((f) => f.bytes),
      progress: ({ done, total }) => {
        bar.max = total;
        bar.value = done;
        $('segment-status').textContent = `tile ${done} of ${total}, ${((performance.now() - started) / 1000).toFixed(1)} s`;
      },
    });
    await viewer.setOverlay('labels', report.labels);
    const { labels: _labels, logits, ...rest } = report;
    results.segment = { ...rest, logits: Array.from(logits) };
    const fg = report.counts.slice(1).reduce((a, b) => a + b, 0);
    $('segment-status').textContent = `${report.tiles} tiles in ${report.seconds.toFixed(2)} s on ${report.backend}; ${fg} foreground voxels (${report.counts.map((c, k) => `label ${k}: ${c}`).join(', ')})`;
  });
}

async function reconstruct(): Promise<void> {
  await action('reconstruct', async () => {
    const files = await bytesOf($<HTMLInputElement>('mae-checkpoint').files!);
    const report = await worker.request('reconstruct', { files, seed: 0 }, { transfer: files.map((f) => f.bytes) });
    await viewer.setOverlay('input', report.input);
    await viewer.setOverlay('masked', report.masked);
    await viewer.setOverlay('reconstruction', report.reconstruction);
    viewer.showOnly(($<HTMLInputElement>('mae-toggle').querySelector<HTMLInputElement>('input:checked')?.value ?? 'reconstruction') as OverlayRole);
    results.maskedMse = report.maskedMse;
    $('mae-status').textContent = `patch [${report.patch.join(' × ')}] at the scan's centre, ${report.seconds.toFixed(2)} s; MSE on hidden voxels ${report.maskedMse.toFixed(4)}`;
  });
}

async function pretrain(): Promise<void> {
  $<HTMLButtonElement>('pretrain-stop').disabled = false;
  const link = $<HTMLAnchorElement>('pretrain-download');
  link.hidden = true;
  await action('pretrain', async () => {
    const losses: number[] = [];
    const steps = Number($<HTMLInputElement>('pretrain-steps').value);
    const report = await worker.request('pretrain', { steps, patch: Number($<HTMLSelectElement>('pretrain-patch').value), batch: Number($<HTMLInputElement>('pretrain-batch').value), lr: 1e-2, seed: 0 }, {
      progress: ({ done, total, loss }) => {
        if (loss !== undefined) losses.push(loss);
        drawLossChart($<HTMLCanvasElement>('loss-chart'), losses);
        $('pretrain-status').textContent = `step ${done} of ${total}, loss ${loss?.toFixed(4)}`;
      },
    });
    results.losses = report.losses;
    drawLossChart($<HTMLCanvasElement>('loss-chart'), report.losses);
    link.href = URL.createObjectURL(new Blob([report.checkpoint], { type: 'application/octet-stream' }));
    link.download = 'mae-pretrained.safetensors';
    link.hidden = false;
    $('pretrain-status').textContent = `${report.losses.length} steps in ${report.seconds.toFixed(1)} s${report.stopped ? ' (stopped)' : ''}; loss ${report.losses[0]?.toFixed(4)} → ${report.losses.at(-1)?.toFixed(4)}.\nThe download is a .safetensors with its adaptation plan: openmind finetune --pretrained mae-pretrained.safetensors`;
  });
  $<HTMLButtonElement>('pretrain-stop').disabled = true;
}

async function main(): Promise<void> {
  await viewer.attach($<HTMLCanvasElement>('viewer'));
  const drop = $('drop-zone');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void openScan(file);
  });
  $<HTMLInputElement>('scan-input').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void openScan(file);
  });
  $('segment-checkpoint').addEventListener('change', refreshButtons);
  $('mae-checkpoint').addEventListener('change', refreshButtons);
  $('segment-button').addEventListener('click', () => void segment());
  $('mae-button').addEventListener('click', () => void reconstruct());
  $('pretrain-button').addEventListener('click', () => void pretrain());
  $('pretrain-stop').addEventListener('click', () => void worker.request('stop', {}));
  $('mae-toggle').addEventListener('change', (e) => viewer.showOnly((e.target as HTMLInputElement).value as OverlayRole));
  $<HTMLSelectElement>('backend-select').addEventListener('change', (e) => void chooseBackend((e.target as HTMLSelectElement).value as BackendRequest));
  const asked = new URLSearchParams(location.search).get('backend');
  const request: BackendRequest = asked === 'webgpu' || asked === 'tfjs' ? asked : 'auto';
  $<HTMLSelectElement>('backend-select').value = request;
  await chooseBackend(request);
  document.body.dataset.ready = 'true';
}

void main();
