import type { RequestKind, Requests, WorkerMessage, WorkerRequest } from './protocol.js';

/** Progress of a request: tiles or steps done, and (pre-training) the step's loss. */
export type Progress = (p: { done: number; total: number; loss?: number }) => void;

/** The page's side of the compute worker: typed requests that resolve with the worker's answer. */
export class WorkerClient {
  private readonly worker = new Worker(new URL('./compute-worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; progress?: Progress }>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const m = event.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') {
        p.progress?.(m);
        return;
      }
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
    };
    this.worker.onerror = (event) => {
      for (const p of this.pending.values()) p.reject(new Error(`the compute worker failed: ${event.message}`));
      this.pending.clear();
    };
  }

  request<K extends RequestKind>(kind: K, args: Requests[K]['args'], options: { progress?: Progress; transfer?: Transferable[] } = {}): Promise<Requests[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(options.progress ? { progress: options.progress } : {}) });
      this.worker.postMessage({ id, kind, args } as WorkerRequest, options.transfer ?? []);
    });
  }
}
