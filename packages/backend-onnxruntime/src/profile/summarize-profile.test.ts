import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxRuntimeBackend } from '../onnxruntime-backend.js';
import { summarizeProfile } from './summarize-profile.js';

const node = (name: string, op: string, ts: number, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: op } });

describe('summarizeProfile', () => {
  it('should group the last run\'s node time by recording kernel and by kernel and op', () => {
    const events = [
      { cat: 'Session', name: 'model_run', ts: 0, dur: 100 },
      node('conv3d/Conv_0', 'Conv', 10, 50),
      { cat: 'Session', name: 'model_run', ts: 1000, dur: 400 },
      node('conv3d/Conv_0', 'Conv', 1010, 200),
      node('conv3dBackpropFilter/Gather_3', 'Gather', 1220, 60),
      node('conv3dBackpropFilter/MatMul_4', 'FusedMatMul', 1290, 100),
      node('Transpose_token_7', 'Transpose', 1395, 40),
    ];
    const s = summarizeProfile(events)!;
    expect(s.runMs).toBe(0.4);
    expect(s.nodeMs).toBe(0.4);
    expect(s.byKernel.map((r) => [r.kernel, r.ms, r.nodes])).toEqual([['conv3d', 0.2, 1], ['conv3dBackpropFilter', 0.16, 2], ['ort', 0.04, 1]]);
    expect(s.byOp[1]).toMatchObject({ kernel: 'conv3dBackpropFilter', opType: 'FusedMatMul', ms: 0.1, share: 0.25 });
    expect(summarizeProfile(events, 0)!.byKernel).toEqual([{ kernel: 'conv3d', opType: '*', ms: 0.05, nodes: 1, share: 1 }]);
  });

  it('should return undefined for a profile without runs', () => {
    expect(summarizeProfile([{ cat: 'Session', name: 'session_initialization', ts: 0, dur: 5 }])).toBeUndefined();
  });

  it('should read a real ORT profile of the backend by the kernels that recorded the nodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-ort-profile-'));
    const b = new OnnxRuntimeBackend({ intraOpThreads: 1, profileFilePrefix: join(dir, 'p') });
    await b.init();
    try {
      const x = b.upload(Float32Array.from({ length: 64 }, (_, i) => i / 64), [64], 'float32');
      for (let i = 0; i < 2; i++) {
        const e = b.unary('exp', x);
        const y = b.reduce('sum', e, [0]);
        b.dispose(e);
        await b.read(y);
        b.dispose(y);
      }
      b.dispose(x);
      await b.endProfiling();
      const files = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown[]);
      const kernels = files.flatMap((ev) => summarizeProfile(ev)?.byKernel.map((r) => r.kernel) ?? []);
      expect(kernels).toEqual(expect.arrayContaining(['exp', 'sum']));
    } finally {
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
