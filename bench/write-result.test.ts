import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TorchBuild } from './fair-reference.js';
import { writeResult } from './write-result.js';

const openblas: TorchBuild = { torch: '1.13.0', blas: 'openblas', blas_library: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', onednn: '2.6.3', threads: 2 };
const referenceBlas: TorchBuild = { ...openblas, blas: 'reference', blas_library: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0' };

describe('writeResult refuses an unfair PyTorch baseline', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'om-bench-result-')); dirs.push(d); return d; };

  it('writes rows whose reference ran on OpenBLAS with our thread count', async () => {
    const dir = tmp();
    const path = await writeResult('fair', { rows: [{ speedup: 1.1, torch_build: openblas }] }, { dir, requireTorch: true, threads: 2 });
    expect(JSON.parse(readFileSync(path, 'utf8')).rows[0].torch_build.blas).toBe('openblas');
  });

  it('refuses a row on the reference BLAS, names it and what to install, and writes nothing', async () => {
    const dir = tmp();
    const result = { rows: [{ torch_build: openblas }, { speedup: 2.1, torch_build: referenceBlas }] };
    await expect(writeResult('crippled', result, { dir, threads: 2 })).rejects.toThrow(/\$\.rows\[1\]\.torch_build says PyTorch ran on the reference BLAS.*libopenblas0-pthread/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a reference whose BLAS could not be identified', async () => {
    await expect(writeResult('unknown', { rows: [{ torch_build: { ...openblas, blas: 'unknown', blas_library: null } }] }, { dir: tmp() }))
      .rejects.toThrow(/unknown BLAS \(library not found\)/);
  });

  it('refuses a reference on another thread count', async () => {
    await expect(writeResult('threads', { rows: [{ torch_build: { ...openblas, threads: 16 } }] }, { dir: tmp(), threads: 2 }))
      .rejects.toThrow(/PyTorch ran on 16 thread\(s\), ours on 2/);
  });

  it('refuses a PyTorch comparison that records no build at all', async () => {
    await expect(writeResult('silent', { rows: [{ speedup: 1 }] }, { dir: tmp(), requireTorch: true }))
      .rejects.toThrow(/no row records its PyTorch build/);
  });
});
