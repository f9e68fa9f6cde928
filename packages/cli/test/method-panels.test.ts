import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostBatch, Module, ReportPanel, SSLMethod } from '@openmind-ssl/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { writeMethodPanels } from '../src/report/method-panels.js';

const batch: HostBatch = { image: new Float32Array(8), shape: [1, 1, 2, 2, 2] };

/** A method whose network only records train/eval switches, returning `panels` from reportPanels. */
function methodWith(panels: unknown[]) {
  const modes: boolean[] = [];
  const network = { training: true, eval() { this.training = false; }, train(on = true) { this.training = on; } };
  const method = {
    id: 'fake', network: network as unknown as Module,
    reportPanels: async () => { modes.push(network.training); return panels as ReportPanel[]; },
  } as unknown as SSLMethod & Required<Pick<SSLMethod, 'reportPanels'>>;
  return { method, modes, network };
}

describe('writeMethodPanels', () => {
  it('should write a matrix as a heat map and an image as its PNG bytes, with the network in eval mode meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-panels-'));
    const png = PNG.sync.write(new PNG({ width: 2, height: 2 }));
    const { method, modes, network } = methodWith([
      { type: 'matrix', title: 'Similarity', values: [[1, 0.25], [0.25, 1]], rowLabels: ['a', 'b'], columnLabels: ['a', 'b'] },
      { type: 'image', title: 'Attention', caption: 'head 1', png },
    ]);
    const sets = await writeMethodPanels(method, batch, dir, 'end', 'after training');
    expect(sets).toEqual([
      { title: 'Similarity after training', images: [{ file: 'end-panel-1.svg', caption: 'Similarity' }] },
      { title: 'Attention after training', images: [{ file: 'end-panel-2.png', caption: 'head 1' }] },
    ]);
    const svg = readFileSync(join(dir, 'end-panel-1.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    // One rect per cell, labelled with its value.
    expect(svg).toContain('0.25');
    expect(readFileSync(join(dir, 'end-panel-2.png'))).toEqual(png);
    expect(modes).toEqual([false]);
    expect(network.training).toBe(true);
  });

  it('should name the method and the panel of a malformed panel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-panels-'));
    const cases: [unknown, RegExp][] = [
      [{ type: 'matrix', title: 'Ragged', values: [[1, 2], [3]] }, /SSL method 'fake', report panel 1 \('Ragged'\): values must be rows of equal, non-zero length/],
      [{ type: 'matrix', title: 'NaN', values: [[Number.NaN]] }, /'NaN'\): values must be rows of equal, non-zero length holding finite numbers/],
      [{ type: 'matrix', title: 'Labels', values: [[1, 2]], columnLabels: ['x'] }, /'Labels'\): columnLabels must be 2 distinct labels, got 1/],
      [{ type: 'image', title: 'Not a PNG', png: new Uint8Array([1, 2, 3]) }, /'Not a PNG'\): png must hold the bytes of a PNG file/],
      [{ type: 'chart', title: 'Chart' }, /'Chart'\): type must be 'image' or 'matrix', got 'chart'/],
      [{ type: 'image', title: '' }, /report panel 1: expected an object with a non-empty title/],
    ];
    for (const [panel, error] of cases) {
      await expect(writeMethodPanels(methodWith([panel]).method, batch, dir, 'start', 'before training')).rejects.toThrow(error);
    }
  });
});
