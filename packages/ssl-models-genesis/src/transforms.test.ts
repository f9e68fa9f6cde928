import { readFileSync } from 'node:fs';
import { Rng } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { bezierMapping } from './bezier.js';
import { corruptSample } from './corrupt.js';
import { drawGenesisPlan, NNSSL_GENESIS_RATES } from './genesis-plan.js';
import { drawShuffleWindow, localPixelShuffle } from './local-shuffle.js';
import { paint } from './painting.js';

const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/models-genesis-loss.json', import.meta.url), 'utf8')) as {
  bezier: { controls: [number, number, number, number]; probe: number[]; monotone: number[]; inverted: number[] };
};

describe('bezierMapping', () => {
  it("should equal nnssl's bezier_curve + np.interp for both branches to 1e-6 (test/fixtures, numpy)", () => {
    const { controls, probe, monotone, inverted } = fixture.bezier;
    for (const [inv, want] of [[false, monotone], [true, inverted]] as const) {
      const map = bezierMapping(controls, inv);
      probe.forEach((v, i) => expect(Math.abs(map(v) - want[i]!)).toBeLessThan(1e-6));
    }
  });

  it('should be monotone increasing as drawn, decreasing when drawn inverted, and clamp outside [0, 1]', () => {
    const rng = new Rng(11);
    for (let draw = 0; draw < 40; draw++) {
      const plan = drawGenesisPlan([16, 16, 16], { ...NNSSL_GENESIS_RATES, nonlinear: 1 }, [1, 2, 3], rng);
      const { points, inverted } = plan.nonlinear!;
      const map = bezierMapping(points, inverted, 2000);
      const ys = Array.from({ length: 201 }, (_, i) => map(i / 200));
      for (let i = 1; i < ys.length; i++) {
        if (inverted) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]! + 1e-12);
        else expect(ys[i]!).toBeGreaterThanOrEqual(ys[i - 1]! - 1e-12);
      }
      expect([map(-3), map(5)]).toEqual(inverted ? [1, 0] : [0, 1]);
    }
  });
});

describe('localPixelShuffle', () => {
  const shape = [1, 12, 10, 11] as const;
  const image = Float32Array.from({ length: 12 * 10 * 11 }, (_, i) => i);

  it('should permute the voxels of one window and leave the rest', () => {
    const out = localPixelShuffle(image, shape, new Rng(4), 1);
    const { start, size } = drawShuffleWindow([12, 10, 11], new Rng(4));
    const inside = (i: number) => {
      const [x, y, z] = [Math.floor(i / 110), Math.floor(i / 11) % 10, i % 11];
      return [x, y, z].every((v, a) => v >= start[a]! && v < start[a]! + size[a]!);
    };
    const changedOutside = Array.from(out).some((v, i) => !inside(i) && v !== image[i]);
    expect(changedOutside).toBe(false);
    const before = Array.from(image).filter((_, i) => inside(i)).sort((a, b) => a - b);
    expect(Array.from(out).filter((_, i) => inside(i)).sort((a, b) => a - b)).toEqual(before);
  });

  it('should draw windows of 1…dim//10 voxels per axis inside the volume', () => {
    const rng = new Rng(5);
    const windows = Array.from({ length: 10_000 }, () => drawShuffleWindow([160, 160, 160], rng));
    const sizes = windows.flatMap((w) => w.size);
    expect([Math.min(...sizes), Math.max(...sizes)]).toEqual([1, 16]);
    expect(windows.every((w) => w.start.every((s, a) => s >= 0 && s + w.size[a]! <= 160))).toBe(true);
  });
});

describe('paint', () => {
  const shape = [1, 16, 16, 16] as const;
  const image = new Float32Array(16 ** 3).fill(5);
  const box = { start: [3, 4, 5] as [number, number, number], size: [4, 5, 6] as [number, number, number] };
  const inBox = (i: number) => {
    const [x, y, z] = [Math.floor(i / 256), Math.floor(i / 16) % 16, i % 16];
    return x >= 3 && x < 7 && y >= 4 && y < 9 && z >= 5 && z < 11;
  };

  it('should fill in-painting boxes with U[0, 1) noise and keep the rest', () => {
    const out = paint(image, shape, 'in', [box], new Rng(1));
    out.forEach((v, i) => (inBox(i) ? expect(v >= 0 && v < 1).toBe(true) : expect(v).toBe(5)));
  });

  it('should replace everything by noise except the out-painting boxes', () => {
    const out = paint(image, shape, 'out', [box], new Rng(1));
    out.forEach((v, i) => (inBox(i) ? expect(v).toBe(5) : expect(v >= 0 && v < 1).toBe(true)));
  });
});

describe('corruptSample', () => {
  const shape = [1, 8, 8, 8] as const;
  const image = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) * 3);
  const anon = Uint8Array.from({ length: 512 }, (_, i) => (i % 7 === 0 ? 1 : 0));

  it('should flip image and masks into the target, and give the input the same masks', () => {
    const plan = { flips: [1, 3], localShuffle: false, nonlinear: null, painting: null, bulk: new Rng(0) };
    const { input, target } = corruptSample({ image, shape, masks: { anon: { data: anon, channels: 1 } } }, plan, 'unit');
    const src = (x: number, y: number, z: number) => (7 - x) * 64 + y * 8 + (7 - z);
    for (let i = 0; i < 512; i++) {
      const j = src(Math.floor(i / 64), Math.floor(i / 8) % 8, i % 8);
      expect(target.image[i]).toBe(image[j]);
      expect(target.masks!['anon']!.data[i]).toBe(anon[j]);
    }
    // No corruption drawn: the input is the target (up to the unit rescaling's rounding).
    input.image.forEach((v, i) => expect(Math.abs(v - target.image[i]!)).toBeLessThan(1e-5));
    expect(input.masks!['anon']!.data).toBe(target.masks!['anon']!.data);
  });

  it("should keep a 'unit' corruption inside the sample's intensity range, and let 'raw' painting noise into [0, 1)", () => {
    const rng = new Rng(2);
    for (let k = 0; k < 20; k++) {
      const plan = drawGenesisPlan([8, 8, 8], { ...NNSSL_GENESIS_RATES, paint: 1, inpaint: 0 }, [1, 2, 3], rng);
      const unit = corruptSample({ image, shape }, plan, 'unit').input.image;
      expect(Math.min(...unit)).toBeGreaterThanOrEqual(-3 - 1e-5);
      expect(Math.max(...unit)).toBeLessThanOrEqual(3 + 1e-5);
    }
    const plan = drawGenesisPlan([8, 8, 8], { flip: 0, localShuffle: 0, nonlinear: 0, paint: 1, inpaint: 0 }, [1, 2, 3], new Rng(3));
    const raw = corruptSample({ image, shape }, plan, 'raw').input.image;
    expect(raw.filter((v) => v >= 0 && v < 1).length).toBeGreaterThan(256);
  });
});
