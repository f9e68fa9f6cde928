import { describe, expect, it } from 'vitest';
import { sizeClass } from './buffer-pool.js';

describe('sizeClass', () => {
  it('should round small requests up to 256 bytes', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(257)).toBe(512);
  });

  it('should waste at most an eighth above 64 KiB, in multiples of 16 bytes', () => {
    for (const bytes of [65537, 100_000, 3_000_000, 123_456_789]) {
      const c = sizeClass(bytes);
      expect(c).toBeGreaterThanOrEqual(bytes);
      expect(c / bytes).toBeLessThanOrEqual(1.125);
      expect(c % 16).toBe(0);
    }
  });

  it('should give nearby sizes the same class so their buffers are shared', () => {
    expect(sizeClass(1_000_000)).toBe(sizeClass(1_000_100));
  });
});
