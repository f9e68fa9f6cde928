import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One line of metrics.jsonl. */
export interface StepMetric {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
}

/** One line of val.jsonl: the validation loss after an epoch (at the step that ended it). */
export interface ValMetric {
  epoch: number;
  step: number;
  val_loss: number;
}

/**
 * The loss curve as an SVG rendered by Vega-Lite: per-step training loss (faint), its moving average over
 * `window` steps (bold) and the validation loss after each epoch (points), log-scaled when the loss spans
 * more than a decade.
 */
export async function lossChartSvg(metrics: readonly StepMetric[], validation: readonly ValMetric[] = [], window = 20): Promise<string> {
  const finite = metrics.filter((m) => Number.isFinite(m.loss));
  const val = validation.filter((v) => Number.isFinite(v.val_loss));
  const losses = [...finite.map((m) => m.loss), ...val.map((v) => v.val_loss)];
  const logScale = losses.length > 1 && Math.max(...losses) / Math.max(1e-12, Math.min(...losses)) > 10;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 300,
    title: validation.length ? 'Loss: training, and validation after each epoch (red)' : 'Training loss',
    layer: [
      {
        data: { values: finite.map((m) => ({ step: m.step, loss: m.loss })) },
        transform: [{ window: [{ op: 'mean', field: 'loss', as: 'smoothed' }], frame: [-(window - 1), 0], sort: [{ field: 'step' }] }],
        layer: [
          { mark: { type: 'line', opacity: 0.3 }, encoding: { x: { field: 'step', type: 'quantitative', title: 'step' }, y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { type: logScale ? 'log' : 'linear', zero: false } } } },
          { mark: { type: 'line', strokeWidth: 2.5 }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'smoothed', type: 'quantitative' } } },
        ],
      },
      ...(val.length ? [{
        data: { values: val.map((v) => ({ step: v.step, loss: v.val_loss })) },
        mark: { type: 'line' as const, point: { color: '#d62728', size: 40 }, color: '#d62728', strokeDash: [4, 3] },
        encoding: { x: { field: 'step', type: 'quantitative' as const }, y: { field: 'loss', type: 'quantitative' as const } },
      }] : []),
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
