// The compute worker: decoding, networks and training run here, so the page stays responsive. It holds
// one backend and the current scan, and answers the page's requests (src/protocol.ts) one at a time.
import type { Backend } from '@openmind-ssl/core';
import type { RequestKind, Requests, WorkerMessage, WorkerRequest } from './protocol.js';
import { startBackend } from './worker/start-backend.js';
import { type LoadedScan, niftiLike, openScan } from './worker/open-scan.js';
import { segmentScan } from './worker/segment-scan.js';
import { pretrainMae, reconstructScan } from './worker/mae.js';

let backend: Backend | undefined;
let scan: LoadedScan | undefined;
/** Set by a 'stop' request (answered at once, outside the queue); the running pre-training checks it each step. */
let stopRequested = false;

const post = (message: WorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

function needScan(): LoadedScan {
  if (!scan) throw new Error('open a scan first (.nii or .nii.gz).');
  return scan;
}

type Handler<K extends RequestKind> = (args: Requests[K]['args'], id: number) => Promise<Requests[K]['result']>;

const handlers: { [K in RequestKind]?: Handler<K> } = {
  backend: async ({ request }) => {
    const started = await startBackend(request, backend);
    backend = started.backend;
    return started.report;
  },
  scan: async ({ name, bytes }) => {
    const opened = await openScan(name, bytes);
    scan = opened;
    const { image } = opened;
    return { name, nifti: niftiLike(image, opened.data.slice(0, image.shape.slice(0, 3).reduce((a, b) => a * b, 1))), shape: image.shape, spacing: image.spacing, orientation: image.orientation, warnings: image.warnings };
  },
  reconstruct: ({ files, seed }) => reconstructScan(needScan(), files, seed),
  pretrain: (args, id) => {
    stopRequested = false;
    return pretrainMae(needScan(), args, (done, loss) => post({ id, type: 'progress', done, total: args.steps, loss }), () => stopRequested);
  },
  segment: ({ files, mirroring }, id) => segmentScan(needScan(), files, mirroring, (p) => post({ id, type: 'progress', done: p.done, total: p.total })),
};

// Requests are served in order: a backend switch never happens under a running segmentation.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, kind, args } = event.data;
  if (kind === 'stop') {
    stopRequested = true;
    post({ id, type: 'result', result: { stopped: true } });
    return;
  }
  queue = queue.then(async () => {
    try {
      if (!backend && kind !== 'backend') throw new Error('no backend started yet.');
      const handler = handlers[kind] as Handler<typeof kind> | undefined;
      if (!handler) throw new Error(`unknown request '${kind}'.`);
      const result = await handler(args as never, id);
      post({ id, type: 'result', result }, transferables(result));
    } catch (e) {
      post({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
};

/** The ArrayBuffers of a result, moved to the page instead of copied. */
function transferables(result: unknown): Transferable[] {
  if (!result || typeof result !== 'object') return [];
  return Object.values(result).flatMap((v) => (v instanceof ArrayBuffer ? [v] : ArrayBuffer.isView(v) ? [v.buffer as ArrayBuffer] : []));
}
