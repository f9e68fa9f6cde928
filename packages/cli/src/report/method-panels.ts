import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HostBatch, type MatrixPanel, OpenMindError, type ReportPanel, Rng, type SSLMethod } from '@openmind-ssl/core';
import { matrixHeatmapSvg } from './matrix-heatmap.js';
import type { PreviewSet } from './write-report.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Checks one panel a method returned, so a broken one fails naming the method and the panel. */
function checkPanel(methodId: string, p: ReportPanel, index: number): void {
  const who = `SSL method '${methodId}', report panel ${index + 1}${typeof p?.title === 'string' && p.title ? ` ('${p.title}')` : ''}`;
  if (!p || typeof p.title !== 'string' || !p.title) throw new OpenMindError(`${who}: expected an object with a non-empty title`);
  if (p.type === 'image') {
    if (!(p.png instanceof Uint8Array) || PNG_SIGNATURE.some((b, i) => p.png[i] !== b)) throw new OpenMindError(`${who}: png must hold the bytes of a PNG file`);
    return;
  }
  if (p.type !== 'matrix') throw new OpenMindError(`${who}: type must be 'image' or 'matrix', got '${String((p as { type?: unknown }).type)}'`);
  const cols = p.values?.[0]?.length ?? 0;
  if (!p.values?.length || !cols || p.values.some((r) => r.length !== cols || r.some((v) => !Number.isFinite(v)))) {
    throw new OpenMindError(`${who}: values must be rows of equal, non-zero length holding finite numbers`);
  }
  const labels = (name: string, l: readonly string[] | undefined, n: number) => {
    if (l && (l.length !== n || new Set(l).size !== n)) throw new OpenMindError(`${who}: ${name} must be ${n} distinct labels, got ${l.length}`);
  };
  labels('rowLabels', p.rowLabels, p.values.length);
  labels('columnLabels', p.columnLabels, cols);
}

/** Whether a method has the report-panels capability. */
export function hasReportPanels(m: SSLMethod): m is SSLMethod & Required<Pick<SSLMethod, 'reportPanels'>> {
  return typeof m.reportPanels === 'function';
}

/**
 * Asks the method for its own report panels on `batch` (network in eval mode, seeded so both stages use the
 * same draws), writes each as report/<tag>-panel-<i>.png or .svg (a matrix becomes a heat map) and returns
 * one preview set per panel.
 * @throws OpenMindError naming the method and the panel when a panel is malformed.
 */
export async function writeMethodPanels(
  method: SSLMethod & Required<Pick<SSLMethod, 'reportPanels'>>, batch: HostBatch, reportDir: string, tag: string, stage: string,
): Promise<PreviewSet[]> {
  const net = method.network;
  const wasTraining = net.training;
  net.eval();
  let panels: ReportPanel[];
  try {
    panels = await method.reportPanels(batch, new Rng(20250102));
  } finally {
    net.train(wasTraining);
  }
  if (!Array.isArray(panels)) throw new OpenMindError(`SSL method '${method.id}': reportPanels must return a list of panels`);
  const sets: PreviewSet[] = [];
  for (const [i, p] of panels.entries()) {
    checkPanel(method.id, p, i);
    const file = `${tag}-panel-${i + 1}.${p.type === 'image' ? 'png' : 'svg'}`;
    await writeFile(join(reportDir, file), p.type === 'image' ? p.png : await matrixHeatmapSvg(p as MatrixPanel));
    sets.push({ title: `${p.title} ${stage}`, images: [{ file, caption: p.caption ?? p.title }] });
  }
  return sets;
}
