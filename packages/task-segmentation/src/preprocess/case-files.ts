import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenMindError, writeFileAtomic } from '@openmind-ssl/core';
import type { CaseGeometry, SegmentationCase } from '../contract.js';

/** Version of the per-case files; a reader refuses others. */
export const SEGMENTATION_CASE_FORMAT = 1;

/**
 * `<id>.json`, written after `<id>.bin`: its presence marks a finished case. The binary holds, little-endian
 * and in this order, the image (float32 [C, D, H, W]), the label (int16 [D, H, W]), the class locations
 * (uint32, classes in ascending order, `classLocationCounts` each) and the annotated locations.
 */
export interface CaseRecord {
  format: number;
  id: string;
  /** Identifies the plan the case was made with; a resumed run redoes cases of another plan. */
  planKey: string;
  shape: [number, number, number, number];
  geometry: CaseGeometry;
  /** [class, count] in ascending class order. */
  classLocationCounts: [number, number][];
  /** Count of annotated locations, or null without an ignore label. */
  annotatedCount: number | null;
  bytes: number;
}

export function caseJsonPath(dir: string, id: string): string {
  return join(dir, 'cases', `${id}.json`);
}

export function caseBinPath(dir: string, id: string): string {
  return join(dir, 'cases', `${id}.bin`);
}

const bytesOf = (a: Float32Array | Int16Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Writes a case atomically: binary first, then the record that marks it done. */
export async function writeCaseFiles(dir: string, c: SegmentationCase, planKey: string): Promise<void> {
  const classes = [...c.classLocations.keys()].sort((a, b) => a - b);
  const parts = [bytesOf(c.image), bytesOf(c.label), ...classes.map((k) => bytesOf(c.classLocations.get(k)!)), ...(c.annotatedLocations ? [bytesOf(c.annotatedLocations)] : [])];
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const buf = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.byteLength;
  }
  await writeFileAtomic(caseBinPath(dir, c.id), buf);
  const record: CaseRecord = {
    format: SEGMENTATION_CASE_FORMAT,
    id: c.id,
    planKey,
    shape: [...c.shape],
    geometry: c.geometry,
    classLocationCounts: classes.map((k) => [k, c.classLocations.get(k)!.length]),
    annotatedCount: c.annotatedLocations ? c.annotatedLocations.length : null,
    bytes: total,
  };
  await writeFileAtomic(caseJsonPath(dir, c.id), `${JSON.stringify(record)}\n`);
}

/** Reads a case's record, or null when it is absent (not done yet). @throws OpenMindError for a damaged file. */
export async function readCaseRecord(dir: string, id: string): Promise<CaseRecord | null> {
  const file = caseJsonPath(dir, id);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let r: CaseRecord;
  try {
    r = JSON.parse(text) as CaseRecord;
  } catch (err) {
    throw new OpenMindError(`preprocessed case "${file}": the file must be valid JSON, but parsing failed (${(err as Error).message}).`);
  }
  if (r.format !== SEGMENTATION_CASE_FORMAT) throw new OpenMindError(`preprocessed case "${file}": format must be ${SEGMENTATION_CASE_FORMAT}, but got ${JSON.stringify(r.format)}.\nHint: preprocess the dataset again into a new folder.`);
  return r;
}

/** Reads a case's binary as described by its record. @throws OpenMindError when the sizes disagree. */
export async function readCaseFiles(dir: string, r: CaseRecord): Promise<SegmentationCase> {
  const file = caseBinPath(dir, r.id);
  const raw = await readFile(file);
  if (raw.byteLength !== r.bytes) throw new OpenMindError(`preprocessed case "${file}": the file must hold ${r.bytes} bytes, but it holds ${raw.byteLength}.`);
  // Copy into an aligned buffer: typed views need offsets that are multiples of their element size.
  const buf = new Uint8Array(raw.byteLength);
  buf.set(raw);
  const [C, D, H, W] = r.shape;
  const n = D * H * W;
  let o = 0;
  const take = <T>(make: (b: ArrayBuffer, off: number, len: number) => T, len: number, size: number): T => {
    const v = make(buf.buffer, o, len);
    o += len * size;
    return v;
  };
  const image = take((b, off, len) => new Float32Array(b, off, len), C * n, 4);
  const label = take((b, off, len) => new Int16Array(b, off, len), n, 2);
  // Realign to 4 bytes for the uint32 parts (n int16 values may leave o at 2 mod 4).
  const rest = buf.slice(o);
  o = 0;
  const u32 = new Uint32Array(rest.buffer, 0, rest.byteLength / 4);
  const classLocations = new Map<number, Uint32Array>();
  for (const [k, count] of r.classLocationCounts) {
    classLocations.set(k, u32.subarray(o, o + count));
    o += count;
  }
  const annotated = r.annotatedCount !== null ? u32.subarray(o, o + r.annotatedCount) : null;
  return { id: r.id, image, shape: r.shape, label, classLocations, ...(annotated ? { annotatedLocations: annotated } : {}), geometry: r.geometry };
}
