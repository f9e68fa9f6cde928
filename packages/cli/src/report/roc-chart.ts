import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One ROC curve: its name (with its AUC) and the (false-positive rate, true-positive rate) points in threshold order. */
export interface RocSeries {
  name: string;
  fpr: readonly number[];
  tpr: readonly number[];
}

/**
 * ROC curves as an SVG chart rendered by Vega-Lite: a step line per curve through its points in order
 * (the points' order is kept, since FPR repeats where TPR rises), on the unit square, with the chance diagonal.
 */
export async function rocChartSvg(title: string, curves: readonly RocSeries[]): Promise<string> {
  const points = curves.flatMap((c) => c.fpr.map((x, i) => ({ series: c.name, order: i, fpr: x, tpr: c.tpr[i]! })));
  const axis = { type: 'quantitative' as const, scale: { domain: [0, 1] } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 360,
    height: 360,
    title,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999999' },
        encoding: { x: { field: 'fpr', ...axis }, y: { field: 'tpr', ...axis } },
      },
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'fpr', ...axis, title: 'false-positive rate' },
          y: { field: 'tpr', ...axis, title: 'true-positive rate' },
          order: { field: 'order', type: 'quantitative' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
