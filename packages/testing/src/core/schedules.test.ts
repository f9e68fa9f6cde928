import { continuedPolyWithWarmup, type LrSchedule, poly, sawtoothSchedule, warmupPoly, warmUpSchedule, frozenEncoderSchedule } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { coreFixture, maxRelativeError } from './fixtures.js';

interface ScheduleCase {
  name: string;
  args: unknown;
  values: number[];
}

const BUILD: Record<string, (args: never) => LrSchedule> = {
  poly: ([lr, T]: [number, number]) => poly(lr, T),
  warmupPoly: ([lr, w, T]: [number, number, number]) => warmupPoly(lr, w, T),
  continuedPolyWithWarmup: (o: Parameters<typeof continuedPolyWithWarmup>[0]) => continuedPolyWithWarmup(o),
};

describe('LR schedules against the nnssl formulas (Python)', () => {
  for (const c of coreFixture<ScheduleCase[]>('schedules')) {
    it(`should give nnssl's ${c.name} rate at every epoch`, () => {
      const s = BUILD[c.name]!(c.args as never);
      expect(maxRelativeError(c.values.map((_, e) => s.lr(e)), c.values, 1e-12)).toBeLessThan(1e-12);
    });
  }
});

describe('fine-tuning schedules (openmind-paper §3.4)', () => {
  it('should warm the whole network up to the peak at epoch 49, then decay', () => {
    const s = warmUpSchedule(1e-3, 50, 1000);
    expect(s.groups.encoder!.lr(0)).toBeCloseTo(1e-3 / 50, 12);
    expect(s.groups.encoder!.lr(49)).toBeCloseTo(1e-3, 12);
    expect(s.groups.decoder!.lr(50)).toBeCloseTo(1e-3, 12);
    expect(s.groups.decoder!.lr(999)).toBeLessThan(1e-5);
  });

  it('should freeze the encoder for the first two sawtooth stages and train the decoder alone', () => {
    const s = sawtoothSchedule(1e-3, 25, 1000);
    const enc = s.groups.encoder!;
    const dec = s.groups.decoder!;
    for (const e of [0, 10, 24, 25, 49]) expect(enc.lr(e)).toBe(0);
    expect(dec.lr(24)).toBeCloseTo(1e-3, 12);
    expect(dec.lr(25)).toBeCloseTo(1e-3, 12);
    expect(dec.lr(49)).toBeLessThan(1e-3 * 0.1);
    expect(enc.lr(99)).toBeCloseTo(1e-3, 12);
    expect(enc.lr(50)).toBeCloseTo(dec.lr(50), 15);
    expect(enc.lr(500)).toBeLessThan(1e-3);
  });

  it('should scale the decoder phases by the Primus factor 0.01', () => {
    const s = sawtoothSchedule(1e-4, 25, 1000, 0.01);
    expect(s.groups.decoder!.lr(24)).toBeCloseTo(1e-6, 15);
    expect(s.groups.decoder!.lr(99)).toBeCloseTo(1e-4, 15);
  });

  it('should keep the encoder at 0 for the whole frozen-encoder schedule', () => {
    const s = frozenEncoderSchedule(1e-4, 15, 150);
    expect([0, 14, 15, 149].map((e) => s.groups.encoder!.lr(e))).toEqual([0, 0, 0, 0]);
    expect(s.groups.decoder!.lr(14)).toBeCloseTo(1e-4, 15);
  });
});
