import { describe, expect, it } from 'vitest';
import { convGeometry } from '../programs/conv3d-geometry.js';
import { chooseFilterSplit } from './conv3d.js';

const attrs = { stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1], groups: 1 } as const;

describe('chooseFilterSplit', () => {
  it('should split a long reduction so no invocation sums more than 16384 products', () => {
    const g = convGeometry([2, 32, 64, 64, 64], [32, 32, 3, 3, 3], [2, 32, 64, 64, 64], attrs);
    const s = chooseFilterSplit(g, 'register', true, 2 ** 24);
    expect(s.slabs * g.oh * g.ow).toBeLessThanOrEqual(16384);
    expect(s.splits * s.slabs).toBeGreaterThanOrEqual(g.n * g.od);
  });

  it('should keep the partial gradients within one binding', () => {
    const g = convGeometry([2, 320, 8, 8, 8], [320, 320, 3, 3, 3], [2, 320, 8, 8, 8], attrs);
    const max = 4 * 320 * 320 * 27;
    const s = chooseFilterSplit(g, 'tiled', false, max);
    expect(s.splits).toBeLessThanOrEqual(4);
  });

  it('should not split when the reduction is short and the filter large enough to fill the device', () => {
    const g = convGeometry([1, 64, 4, 4, 4], [64, 64, 3, 3, 3], [1, 64, 4, 4, 4], attrs);
    expect(chooseFilterSplit(g, 'register', true, 2 ** 24).splits).toBe(1);
  });
});
