import { describe, expect, it } from 'vitest';
import type { OnnxGraphSpec, OnnxNodeSpec, OnnxValueSpec } from '../onnx/onnx-model.js';
import { ARENA_OUTPUT_LIMIT_BYTES, runsWithoutArena } from './graph-executor.js';

const node = (opType: string): OnnxNodeSpec => ({ opType, inputs: ['in0', 'in1'], outputs: ['v0_0'], attrs: [] });
const output = (elements: number, dtype: OnnxValueSpec['dtype'] = 'float32'): OnnxValueSpec => ({ name: 'v0_0', dtype, dims: [elements] });
const graph = (ops: string[], outputs: OnnxValueSpec[]): OnnxGraphSpec => ({ nodes: ops.map(node), inputs: [], outputs });

describe('runsWithoutArena', () => {
  const limitFloats = ARENA_OUTPUT_LIMIT_BYTES / 4;

  it('should run an element-wise graph (an optimizer-update chunk) without the arena, whatever its size', () => {
    expect(runsWithoutArena(graph(['Mul', 'Add', 'Sqrt'], [output(16)]))).toBe(true);
  });

  it('should keep the arena for graphs with products or convolutions and outputs below the limit', () => {
    for (const op of ['MatMul', 'Conv', 'ConvTranspose', 'Gemm']) {
      expect(runsWithoutArena(graph([op, 'Add'], [output(limitFloats - 1)]))).toBe(false);
    }
  });

  it('should run a product graph without the arena once its outputs together reach the limit (a large model\'s gradients)', () => {
    // Two outputs of half the limit each: the sum decides, not the largest output.
    const half = output(limitFloats / 2);
    expect(runsWithoutArena(graph(['MatMul'], [half, { ...half, name: 'v0_1' }]))).toBe(true);
    expect(runsWithoutArena(graph(['MatMul'], [half, output(limitFloats / 2 - 1)]))).toBe(false);
  });

  it('should count output bytes by element type', () => {
    // int64 is 8 bytes: half as many elements as float32 reach the limit; uint8 needs 4× as many.
    expect(runsWithoutArena(graph(['Conv'], [output(ARENA_OUTPUT_LIMIT_BYTES / 8, 'int64')]))).toBe(true);
    expect(runsWithoutArena(graph(['Conv'], [output(limitFloats, 'uint8')]))).toBe(false);
  });
});
