import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One line of metrics.jsonl. */
export interface StepMetric {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
}

/**
 * The loss curve as an SVG rendered by Vega-Lite: per-step loss (faint) and its moving average over
 * `window` steps (bold), log-scaled when the loss spans more than a decade.
 */
export async function lossChartSvg(metrics: readonly StepMetric[], window = 20): Promise<string> {
  const finite = metrics.filter((m) => Number.isFinite(m.loss));
  const losses = finite.map((m) => m.loss);
  const logScale = losses.length > 1 && Math.max(...losses) / Math.max(1e-12, Math.min(...losses)) > 10;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 300,
    title: 'Training loss (masked-voxel MSE)',
    data: { values: finite.map((m) => ({ step: m.step, loss: m.loss })) },
    transform: [{ window: [{ op: 'mean', field: 'loss', as: 'smoothed' }], frame: [-(window - 1), 0], sort: [{ field: 'step' }] }],
    layer: [
      { mark: { type: 'line', opacity: 0.3 }, encoding: { x: { field: 'step', type: 'quantitative', title: 'step' }, y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { type: logScale ? 'log' : 'linear', zero: false } } } },
      { mark: { type: 'line', strokeWidth: 2.5 }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'smoothed', type: 'quantitative' } } },
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
