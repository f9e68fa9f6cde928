/** Draws the loss curve on a canvas: one polyline scaled to the losses so far, first and last value labelled. */
export function drawLossChart(canvas: HTMLCanvasElement, losses: readonly number[]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  if (losses.length === 0) return;
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const pad = 18;
  const x = (i: number) => pad + (losses.length === 1 ? 0 : (i / (losses.length - 1)) * (w - 2 * pad));
  const y = (v: number) => h - pad - (hi === lo ? 0.5 : (v - lo) / (hi - lo)) * (h - 2 * pad);
  ctx.strokeStyle = '#6cf';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  losses.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
  ctx.stroke();
  ctx.fillStyle = '#9aa';
  ctx.font = '11px system-ui';
  ctx.fillText(`loss ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)} (${losses.length} steps)`, pad, 12);
}
