import { afterAll, beforeAll, expect, it } from 'vitest';
import { erf } from '@openmind-ssl/testing';
import { createWebGpuBackend } from '../create-webgpu-backend.js';
import { describeWebGpu } from '../testing/describe-webgpu.js';
import type { WebGpuBackend } from '../webgpu-backend.js';

describeWebGpu('erf_f (WGSL)', () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = createWebGpuBackend();
    await backend.init();
  });
  afterAll(async () => backend.close());

  it('should stay within 1e-6 relative error of float64 erf on [-6, 6], and exact in sign and at 0', async () => {
    const xs = Float32Array.from({ length: 24001 }, (_, i) => -6 + i * 0.0005);
    const h = backend.upload(xs, [xs.length], 'float32');
    const y = backend.unary('erf', h);
    const got = await backend.read(y);
    let worst = 0;
    xs.forEach((x, i) => {
      const want = erf(x);
      if (want !== 0) worst = Math.max(worst, Math.abs(got[i]! - want) / Math.abs(want));
      else expect(got[i]).toBe(0);
    });
    expect(worst).toBeLessThan(1e-6);
    backend.dispose(h);
    backend.dispose(y);
  });
});
