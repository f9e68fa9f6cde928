/** Small inline-SVG charts for the benchmark report (no script, no external files). */

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Bar {
  label: string;
  mean: number;
  sd: number;
}

/** Width that holds a chart's title (13 px bold, about 7.6 px a character) with its margin. */
function titleWidth(title: string): number {
  return 12 + 7.6 * title.length;
}

/** Vertical bars with ±sd error bars, values in [0, 1] shown in %. */
export function barChart(title: string, bars: Bar[]): string {
  // Labels run down-right at 40°: room below and to the right for the longest.
  const longest = Math.max(0, ...bars.map((b) => b.label.length));
  const w = Math.max(60 + bars.length * 46 + longest * 4.7, titleWidth(title));
  const bottom = 20 + longest * 4.3;
  const h = 170 + bottom;
  const top = 28;
  const plot = h - top - bottom;
  const y = (v: number) => top + plot * (1 - Math.max(0, Math.min(1, v)));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">`, `<text x="6" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="44" x2="${w - 6}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="40" y="${y(t) + 4}" font-size="10" text-anchor="end">${t * 100}</text>`);
  }
  bars.forEach((b, i) => {
    const x = 52 + i * 46;
    if (Number.isFinite(b.mean)) {
      parts.push(`<rect x="${x}" y="${y(b.mean)}" width="30" height="${y(0) - y(b.mean)}" fill="${colour(i)}"><title>${esc(b.label)}: ${(100 * b.mean).toFixed(2)} ± ${(100 * b.sd).toFixed(2)}</title></rect>`);
      if (b.sd > 0) {
        const cx = x + 15;
        parts.push(`<path d="M${cx} ${y(b.mean + b.sd)}V${y(b.mean - b.sd)}M${cx - 6} ${y(b.mean + b.sd)}h12M${cx - 6} ${y(b.mean - b.sd)}h12" stroke="#222" fill="none"/>`);
      }
    }
    parts.push(`<text transform="translate(${x + 15},${h - bottom + 10}) rotate(40)" font-size="10">${esc(b.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A rows × columns heat map of values in [0, 1] (white → blue), each cell labelled in %. */
export function heatMap(title: string, rows: string[], columns: string[], value: (r: number, c: number) => number): string {
  const cw = 90;
  const ch = 26;
  const left = 190;
  const top = 44;
  const w = Math.max(left + columns.length * cw + 10, titleWidth(title));
  const h = top + rows.length * ch + 10;
  const finite = rows.flatMap((_, r) => columns.map((__, c) => value(r, c))).filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">`, `<text x="6" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`];
  columns.forEach((c, j) => parts.push(`<text x="${left + j * cw + cw / 2}" y="${top - 8}" font-size="11" text-anchor="middle">${esc(c)}</text>`));
  rows.forEach((r, i) => {
    parts.push(`<text x="${left - 6}" y="${top + i * ch + 17}" font-size="11" text-anchor="end">${esc(r)}</text>`);
    columns.forEach((_, j) => {
      const v = value(i, j);
      // Scaled within the table's range, so small differences between methods stay visible.
      const t = Number.isFinite(v) ? (hi > lo ? (v - lo) / (hi - lo) : 0.5) : NaN;
      const fill = Number.isFinite(t) ? `rgb(${Math.round(255 - 180 * t)},${Math.round(255 - 120 * t)},255)` : '#eee';
      parts.push(`<rect x="${left + j * cw}" y="${top + i * ch}" width="${cw - 2}" height="${ch - 2}" fill="${fill}"/>`);
      parts.push(`<text x="${left + j * cw + cw / 2}" y="${top + i * ch + 17}" font-size="11" text-anchor="middle">${Number.isFinite(v) ? (100 * v).toFixed(1) : '–'}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Series {
  label: string;
  points: { x: number; y: number }[];
}

/** Lines over epochs (values in [0, 1] shown in %), with a legend. */
export function lineChart(title: string, series: Series[], xLabel: string): string {
  const w = Math.max(460, titleWidth(title));
  const h = 240 + 16 * series.length;
  const left = 44;
  const top = 28;
  const plotW = w - left - 12;
  const plotH = 170;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const xMax = Math.max(1, ...xs);
  const X = (x: number) => left + (plotW * x) / xMax;
  const Y = (v: number) => top + plotH * (1 - Math.max(0, Math.min(1, v)));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">`, `<text x="6" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) parts.push(`<line x1="${left}" x2="${w - 12}" y1="${Y(t)}" y2="${Y(t)}" stroke="#ddd"/><text x="${left - 4}" y="${Y(t) + 4}" font-size="10" text-anchor="end">${t * 100}</text>`);
  parts.push(`<text x="${left + plotW / 2}" y="${top + plotH + 28}" font-size="10" text-anchor="middle">${esc(xLabel)}</text>`);
  for (const t of [0, Math.round(xMax / 2), xMax]) parts.push(`<text x="${X(t)}" y="${top + plotH + 14}" font-size="10" text-anchor="middle">${t}</text>`);
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${X(p.x).toFixed(1)} ${Y(p.y).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" stroke="${colour(i)}" stroke-width="2" fill="none"/>`);
    const ly = top + plotH + 44 + i * 16;
    parts.push(`<rect x="${left}" y="${ly - 9}" width="12" height="4" fill="${colour(i)}"/><text x="${left + 18}" y="${ly - 4}" font-size="11">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
