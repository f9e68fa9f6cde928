import { OpenMindError, type KernelHandle } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxRuntimeBackend } from './onnxruntime-backend.js';

describe('OnnxRuntimeBackend', () => {
  const b = new OnnxRuntimeBackend({ intraOpThreads: 1 });
  beforeAll(() => b.init());
  afterAll(() => b.close());
  const f32 = (...v: number[]) => b.upload(Float32Array.from(v), [v.length], 'float32');

  describe('.read', () => {
    it('should run nothing until a read, then the whole chain as one graph', async () => {
      const runs = b.stats.runs;
      const x = f32(1, 2, 3);
      let y: KernelHandle = x;
      const chain: KernelHandle[] = [];
      for (let i = 0; i < 10; i++) {
        y = b.binary('add', y, x);
        chain.push(y);
      }
      expect(b.stats.runs).toBe(runs);
      // Only the last handle stays live: the nine others are disposed intermediates.
      chain.slice(0, -1).forEach((h) => b.dispose(h));
      expect([...(await b.read(y))]).toEqual([11, 22, 33]);
      expect(b.stats.runs).toBe(runs + 1);
      expect(b.stats.lastGraphOutputs).toBe(1);
      expect(b.stats.lastGraphNodes).toBe(10);
      b.dispose(y);
      b.dispose(x);
    });

    it('should return a copy that the caller may change', async () => {
      const x = f32(1, 2);
      const first = await b.read(x);
      first[0] = 99;
      expect([...(await b.read(x))]).toEqual([1, 2]);
      b.dispose(x);
    });

    it('should keep the uploaded values when the source array changes afterwards', async () => {
      const src = Float32Array.of(4, 5);
      const x = b.upload(src, [2], 'float32');
      src[0] = -1;
      expect([...(await b.read(x))]).toEqual([4, 5]);
      b.dispose(x);
    });

    it('should fail only the handles that depend on a failing node', async () => {
      const x = f32(1, 2, 3);
      const bad = b.gather(x, b.upload(Int32Array.of(7), [1], 'int32'), 0);
      const good = b.unary('neg', x);
      await expect(b.read(bad)).rejects.toThrow(/out of bounds|indices|invalid/i);
      expect([...(await b.read(good))]).toEqual([-1, -2, -3]);
      b.dispose(bad);
      b.dispose(good);
      b.dispose(x);
    });
  });

  describe('.binary', () => {
    it('should pass x through x·1, 1·x, x/1 and x−0 without arithmetic, keeping NaN and −0', async () => {
      const x = f32(Number.NaN, -0, 2.5);
      for (const [op, first] of [['mul', false], ['mul', true], ['div', false], ['sub', false]] as const) {
        const k = b.fill([], 'float32', op === 'sub' ? 0 : 1);
        const y = first ? b.binary(op, k, x) : b.binary(op, x, k);
        b.dispose(k);
        const v = await b.read(y);
        expect(Object.is(v[0], Number.NaN) && Object.is(v[1], -0) && v[2] === 2.5, `${op}`).toBe(true);
        // The graph holds only the Identity that gives the result its own handle: no arithmetic node,
        // and not even the constant.
        expect(b.stats.lastGraphNodes).toBe(1);
        b.dispose(y);
      }
      b.dispose(x);
    });
  });

  describe('having the same step structure twice', () => {
    it('should reuse the compiled session and compute with the new inputs', async () => {
      const step = async (v: number) => {
        const x = f32(v, v + 1);
        const y = b.unary('exp', b.binary('mul', x, x));
        const out = await b.read(y);
        b.dispose(y);
        b.dispose(x);
        return out;
      };
      await step(0.5);
      const created = b.stats.sessionsCreated;
      const out = await step(0.25);
      expect(b.stats.sessionsCreated).toBe(created);
      expect(out[0]).toBeCloseTo(Math.exp(0.0625), 6);
      expect(out[1]).toBeCloseTo(Math.exp(1.5625), 6);
    });
  });

  describe('having graphs that run once', () => {
    const run = async (op: 'neg' | 'abs' | 'exp') => {
      const x = f32(1, 2);
      const y = b.unary(op, x);
      await b.read(y);
      b.dispose(y);
      b.dispose(x);
    };
    it('should release a one-off session when the next graph is compiled, so their arenas do not add up', async () => {
      await run('neg');
      const { sessionsCached, sessionsReleased } = b.stats;
      await run('abs');
      expect(b.stats.sessionsReleased).toBe(sessionsReleased + 1);
      expect(b.stats.sessionsCached).toBe(sessionsCached);
    });
    it('should keep two alternating graphs after compiling each of them twice', async () => {
      for (let i = 0; i < 3; i++) {
        await run('exp');
        await run('neg');
      }
      const { sessionsCreated } = b.stats;
      for (let i = 0; i < 3; i++) {
        await run('exp');
        await run('neg');
      }
      expect(b.stats.sessionsCreated).toBe(sessionsCreated);
    });
  });

  describe('having a small maxPendingNodes', () => {
    it('should evaluate long chains in several graphs and still give the right value', async () => {
      const small = new OnnxRuntimeBackend({ intraOpThreads: 1, maxPendingNodes: 8 });
      await small.init();
      const x = small.upload(Float32Array.of(1), [1], 'float32');
      let y = x;
      for (let i = 0; i < 50; i++) {
        const next = small.binary('add', y, x);
        if (y !== x) small.dispose(y);
        y = next;
        // Background evaluations run when the recording code yields.
        if (i % 10 === 9) await new Promise((r) => setImmediate(r));
      }
      expect([...(await small.read(y))]).toEqual([51]);
      expect(small.stats.runs).toBeGreaterThan(3);
      expect(small.stats.lastGraphNodes).toBeLessThanOrEqual(10);
      await small.close();
    });
  });

  describe('.memory', () => {
    it('should count live handles and their bytes, pending or not', () => {
      const before = b.memory();
      const x = f32(1, 2, 3, 4);
      const y = b.cast(x, 'uint8');
      expect(b.memory()).toEqual({ handles: before.handles + 2, bytes: before.bytes + 16 + 4 });
      b.dispose(y);
      b.dispose(x);
      expect(b.memory()).toEqual(before);
    });
  });

  describe('having a disposed handle', () => {
    it('should throw an OpenMindError naming the kernel', () => {
      const x = f32(1);
      b.dispose(x);
      expect(() => b.unary('abs', x)).toThrow(OpenMindError);
      expect(() => b.unary('abs', x)).toThrow(/abs: the handle was already disposed/);
    });
  });

  describe('.init', () => {
    it('should reject options out of range naming the field', () => {
      expect(() => new OnnxRuntimeBackend({ maxPendingNodes: 0 })).toThrow(/options\.maxPendingNodes must be a positive integer/);
    });

    it('should explain when the CUDA execution provider cannot start', async () => {
      const cuda = new OnnxRuntimeBackend({ executionProviders: ['cuda'] });
      // On machines with the CUDA binaries this starts; here (install skipped) it must fail clearly.
      const started = await cuda.init().then(() => true, (e: unknown) => {
        expect(e).toBeInstanceOf(OpenMindError);
        expect(String(e)).toMatch(/execution providers \[cuda\]/);
        return false;
      });
      if (started) await cuda.close();
    });
  });
});
