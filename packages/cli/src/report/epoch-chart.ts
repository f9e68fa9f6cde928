import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One point of an epoch chart: a named series' value after an epoch. */
export interface EpochPoint {
  epoch: number;
  series: string;
  value: number;
}

/** A line per series over epochs (1-based on the axis), rendered by Vega-Lite to SVG; non-finite points are left out. */
export async function epochChartSvg(title: string, yTitle: string, points: readonly EpochPoint[], o: { logScale?: boolean } = {}): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 260,
    title,
    data: { values: points.filter((p) => Number.isFinite(p.value)).map((p) => ({ epoch: p.epoch + 1, series: p.series, value: p.value })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: o.logScale ? 'log' : 'linear', zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
