import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MatrixPanel } from '@openmind-ssl/core';

/**
 * A method's matrix panel as an SVG heat map rendered by Vega-Lite: one cell per value, rows top-down and
 * columns left-right in the order given, each cell labelled with its value when the matrix is small.
 */
export async function matrixHeatmapSvg(panel: MatrixPanel): Promise<string> {
  const rows = panel.values.length;
  const cols = panel.values[0]?.length ?? 0;
  const rowLabels = panel.rowLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  const colLabels = panel.columnLabels ?? Array.from({ length: cols }, (_, j) => String(j));
  const cells = panel.values.flatMap((row, i) => row.map((value, j) => ({ row: rowLabels[i]!, column: colLabels[j]!, value })));
  const cell = Math.max(8, Math.min(48, Math.floor(480 / Math.max(rows, cols, 1))));
  const legend = panel.valueLabel ?? 'value';
  // Viridis runs from dark purple to yellow: dark labels on the bright upper half, light ones below.
  const flat = cells.map((c) => c.value);
  const middle = (Math.min(...flat) + Math.max(...flat)) / 2;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: cell * cols,
    height: cell * rows,
    data: { values: cells },
    encoding: {
      x: { field: 'column', type: 'ordinal', sort: colLabels as string[], title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'row', type: 'ordinal', sort: rowLabels as string[], title: null },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'value', type: 'quantitative', title: legend, scale: { scheme: 'viridis' } } } },
      ...(rows * cols <= 144 ? [{
        mark: { type: 'text' as const, fontSize: 11 },
        encoding: {
          text: { field: 'value', type: 'quantitative' as const, format: '.3~g' },
          color: { condition: { test: `datum.value > ${middle}`, value: '#000000' }, value: '#ffffff' },
        },
      }] : []),
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
