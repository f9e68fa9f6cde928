import { describe, expect, it } from 'vitest';
import { cosineWarmstart, linearProbeSchedule, sawtoothSchedule } from './lr-schedule.js';

describe('classifier LR schedule', () => {
  it('equals finetune-spec §4 (base 1e-4, warm-up 20, 200 epochs): e0 4.76e-6, e19 9.52e-5, e20 1e-4, e110 5e-5, e199 7.6e-9', () => {
    const s = cosineWarmstart(1e-4, 20, 200);
    // The spec rounds to three significant figures; the closed forms are 1e-4/21, 20e-4/21, 1e-4, 5e-5, 5e-5·(1 + cos(179π/180)).
    expect(s.lr(0)).toBeCloseTo(4.76e-6, 8);
    expect(s.lr(19)).toBeCloseTo(9.52e-5, 7);
    expect(s.lr(20)).toBe(1e-4);
    expect(s.lr(110)).toBeCloseTo(5e-5, 15);
    expect(s.lr(199)).toBeCloseTo(7.6e-9, 10);
    expect(s.lr(0)).toBeCloseTo(1e-4 / 21, 18);
    expect(s.lr(199)).toBeCloseTo(5e-5 * (1 + Math.cos((179 * Math.PI) / 180)), 18);
  });
  it('rises every warm-up epoch and falls every epoch after', () => {
    const s = cosineWarmstart(1e-4, 20, 200);
    for (let e = 1; e < 200; e++) expect(Math.sign(s.lr(e) - s.lr(e - 1))).toBe(e <= 20 ? 1 : -1);
  });
  it('linear probe holds the encoder at 0', () => {
    const g = linearProbeSchedule(1e-4, 20, 200).groups;
    expect(g['encoder']!.lr(50)).toBe(0);
    expect(g['head']!.lr(20)).toBe(1e-4);
  });
  it('sawtooth: head warm-up with the encoder at 0, then both warm up, then cosine', () => {
    const g = sawtoothSchedule(1e-4, 10, 10, 100).groups;
    expect(g['encoder']!.lr(9)).toBe(0);
    expect(g['head']!.lr(9)).toBeCloseTo(1e-4 * 10 / 11, 18);
    expect(g['encoder']!.lr(10)).toBeCloseTo(1e-5, 18);
    expect(g['head']!.lr(10)).toBeCloseTo(1e-5, 18);
    expect(g['encoder']!.lr(19)).toBeCloseTo(1e-4, 18);
    expect(g['encoder']!.lr(20)).toBeCloseTo(1e-4, 18);
    expect(g['head']!.lr(60)).toBeCloseTo(5e-5, 15);
  });
});
