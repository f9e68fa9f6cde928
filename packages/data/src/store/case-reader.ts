import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import type { CaseProperties } from './case-properties.js';
import { CASE_FORMAT_VERSION } from './case-writer.js';
import { ZarrArrayReader } from './zarr-array-reader.js';

/**
 * An opened case group: the image and mask arrays for region reads, and the properties. Reads are
 * synchronous (worker threads). Close it to release the file handles.
 */
export class CaseReader {
  readonly dir: string;
  readonly properties: CaseProperties;
  /** `[C, d0, d1, d2]`. */
  readonly data: ZarrArrayReader;
  /** `[1, d0, d1, d2]` int8, or null when the image had no such mask. */
  readonly anon: ZarrArrayReader | null;
  readonly anat: ZarrArrayReader | null;
  /** Label volumes of the case (`labels/<name>`, e.g. a segmentation map), `[Cl, d0, d1, d2]` int8 or int32. */
  readonly labels: Readonly<Record<string, ZarrArrayReader>>;
  private locations: Int32Array | null | undefined;

  private constructor(dir: string, properties: CaseProperties) {
    this.dir = dir;
    this.properties = properties;
    this.data = ZarrArrayReader.open(join(dir, 'data'));
    this.anon = existsSync(join(dir, 'anon')) ? ZarrArrayReader.open(join(dir, 'anon')) : null;
    this.anat = existsSync(join(dir, 'anat')) ? ZarrArrayReader.open(join(dir, 'anat')) : null;
    this.labels = openLabels(dir);
  }

  /**
   * Opens a case folder written by `writeCase`.
   * @throws OpenMindError when the folder is not a case group of a supported version.
   */
  static open(dir: string): CaseReader {
    let group: { node_type?: string; attributes?: { openmind?: CaseProperties & { formatVersion?: number } } };
    try {
      group = JSON.parse(readFileSync(join(dir, 'zarr.json'), 'utf8'));
    } catch (err) {
      throw new OpenMindError(`Preprocessed case "${dir}": zarr.json must exist and be valid JSON, but reading it failed.\nHint: run preprocessing again; it redoes incomplete cases.`, { cause: err });
    }
    const props = group.attributes?.openmind;
    if (group.node_type !== 'group' || !props || props.formatVersion !== CASE_FORMAT_VERSION) {
      throw new OpenMindError(`Preprocessed case "${dir}": attributes.openmind.formatVersion must be ${CASE_FORMAT_VERSION}, but got ${JSON.stringify(props?.formatVersion)}.`);
    }
    return new CaseReader(dir, props);
  }

  /** Spatial shape `[d0, d1, d2]` of the stored arrays. */
  get spatialShape(): [number, number, number] {
    const s = this.data.shape;
    return [s[1]!, s[2]!, s[3]!];
  }

  /** Channels of the image. */
  get channels(): number {
    return this.data.shape[0]!;
  }

  /** Sampled anatomy voxel coordinates `[n, 3]` (flattened), or null; read once and cached. */
  anatomyLocations(): Int32Array | null {
    if (this.locations !== undefined) return this.locations;
    const dir = join(this.dir, 'anat_locations');
    if (!existsSync(dir)) return (this.locations = null);
    const r = ZarrArrayReader.open(dir);
    try {
      this.locations = r.read([0, 0], r.shape) as Int32Array;
    } finally {
      r.close();
    }
    return this.locations;
  }

  close(): void {
    this.data.close();
    this.anon?.close();
    this.anat?.close();
    for (const r of Object.values(this.labels)) r.close();
  }
}

/** Opens every array of the case's `labels/` group (sorted by name); none when the group is absent. */
function openLabels(dir: string): Record<string, ZarrArrayReader> {
  const group = join(dir, 'labels');
  const out: Record<string, ZarrArrayReader> = {};
  if (!existsSync(group)) return out;
  const names = readdirSync(group, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const name of names) {
    const r = ZarrArrayReader.open(join(group, name));
    if (r.dtype !== 'int8' && r.dtype !== 'int32') {
      r.close();
      throw new OpenMindError(`Preprocessed case "${dir}": label volume "labels/${name}" must be int8 or int32, but it is ${r.dtype}.`);
    }
    out[name] = r;
  }
  return out;
}
