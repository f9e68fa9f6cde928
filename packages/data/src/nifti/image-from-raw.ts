import type { Affine, AffineSource } from './affine.js';
import { bestAffine } from './affine.js';
import type { NiftiDType } from './dtypes.js';
import { dtypeFromCode } from './dtypes.js';
import type { NiftiHeader } from './header.js';
import { headerShape } from './header.js';
import { applyScaling, countNonFinite, scalingApplies, viewVoxels } from './decode-voxels.js';
import type { NiftiImage } from './nifti-image.js';
import { niftiError } from './nifti-error.js';
import { orientationCode } from './orientation.js';
import { reorientToRas } from './reorient.js';
import type { NonFiniteCount } from './voxel-scanner.js';

// From header and voxel bytes to a NiftiImage: shared by the file reader (Node) and the in-memory
// decoder (browsers), so both repair, scale and check a volume the same way.

/** What to do with NaN or ±Infinity voxels. */
export type NonFinitePolicy = 'error' | 'warn' | 'allow';

/** Options of {@link readNifti}. */
export interface ReadNiftiOptions {
  /** Reorder and flip axes so the volume is in RAS+ orientation (nibabel's `as_closest_canonical`). Default false. */
  reorient?: boolean;
  /** Apply scl_slope / scl_inter (to float32). Default true; false returns the stored values. */
  scale?: boolean;
  /**
   * NaN/Inf voxels: 'error' (default) throws, as nnssl's preprocessing rejects such cases; 'warn' reads the
   * volume and adds a line to `warnings`; 'allow' reads it silently.
   */
  nonFinite?: NonFinitePolicy;
}

/** Everything the header says about a volume, without reading its voxels. */
export interface NiftiInfo {
  header: NiftiHeader;
  shape: number[];
  /** Element type on disk. */
  diskDtype: NiftiDType;
  /** Whether reading applies scl_slope/scl_inter (then voxels come back as float32). */
  scaled: boolean;
  spacing: number[];
  affine: Affine;
  affineSource: AffineSource;
  orientation: string;
  warnings: string[];
  /** Whether the file is gzip-compressed. */
  compressed: boolean;
}

/** Header and voxel bytes (host byte order, NaN/Inf already counted) of one volume. */
export interface RawVolume {
  header: NiftiHeader;
  bytes: Uint8Array | undefined;
  nonFinite: NonFiniteCount;
  compressed: boolean;
  trailingBytes: number;
}

/**
 * The volume a raw read describes: header repaired as nibabel does, scl_slope/scl_inter applied, NaN/Inf
 * handled by `options.nonFinite`, optionally reoriented to RAS+.
 * @throws OpenMindError naming `file` (NaN/Inf voxels under the 'error' policy, a bad qform).
 */
export function imageFromRaw(raw: RawVolume, file: string, options: ReadNiftiOptions = {}): NiftiImage {
  const policy = options.nonFinite ?? 'error';
  const info = describeHeader(raw.header, file, raw.compressed);
  const warnings = [...info.warnings];
  if (raw.trailingBytes > 0) warnings.push(`${raw.trailingBytes} bytes after the voxel data were ignored`);
  // readRawNifti already put the bytes in host order and counted NaN/Inf among the stored values.
  const rawData = viewVoxels(raw.bytes!, info.diskDtype);
  const doScale = (options.scale ?? true) && info.scaled;
  const data = doScale ? applyScaling(rawData, raw.header.sclSlope, raw.header.sclInter) : rawData;
  if (policy !== 'allow') {
    // Scaling can overflow finite stored values to ±Inf, so scaled data is counted again.
    const bad = doScale ? countNonFinite(data) : raw.nonFinite;
    if (bad.nan + bad.inf > 0) {
      const where = voxelIndex(bad.first, info.shape);
      const problem = `the data has ${bad.nan} NaN and ${bad.inf} infinite voxel${bad.nan + bad.inf === 1 ? '' : 's'} (first at voxel [${where.join(', ')}])`;
      if (policy === 'error') {
        throw niftiError(file, problem, "read it with nonFinite: 'warn' (CLI: --allow-nonfinite) to inspect it anyway; nnssl rejects such volumes.");
      }
      warnings.push(problem);
    }
  }
  // The header describes `data` as held in memory, so writing the image back stores the same values.
  const header = doScale ? { ...info.header, datatype: data instanceof Float64Array ? 64 : 16, bitpix: data instanceof Float64Array ? 64 : 32, sclSlope: 1, sclInter: 0 } : info.header;
  const image: NiftiImage = {
    header,
    shape: info.shape,
    dtype: doScale ? (data instanceof Float64Array ? 'float64' : 'float32') : info.diskDtype,
    data,
    affine: info.affine,
    affineSource: info.affineSource,
    spacing: info.spacing,
    orientation: info.orientation,
    warnings,
  };
  return options.reorient ? reorientToRas(image) : image;
}

function voxelIndex(flat: number, shape: readonly number[]): number[] {
  const out: number[] = [];
  let rest = flat;
  for (const n of shape) {
    out.push(rest % n);
    rest = Math.floor(rest / n);
  }
  return out;
}

/**
 * Derives shape, spacing and affine from a parsed header, repairing what nibabel repairs on load (and
 * saying so in `warnings`): zero spatial pixdims become 1, negative ones their absolute value, a qfac
 * other than ±1 becomes 1, and unknown qform/sform codes become 0. A NaN or infinite spatial pixdim is
 * refused (nibabel puts it into the affine).
 */
export function describeHeader(parsed: NiftiHeader, file: string, compressed: boolean): NiftiInfo {
  const header: NiftiHeader = { ...parsed, pixdim: [...parsed.pixdim] };
  const warnings: string[] = [];
  const shape = headerShape(header);
  for (let i = 1; i <= 3; i++) {
    const p = header.pixdim[i]!;
    // nibabel carries a NaN or infinite voxel size into the affine; no grid can be built from it.
    if (!Number.isFinite(p)) throw niftiError(file, `pixdim[${i}] (a voxel size) must be a finite number, but got ${p}`);
    if (p === 0) {
      warnings.push(`pixdim[${i}] was ${p}; using 1`);
      header.pixdim[i] = 1;
    } else if (p < 0) {
      warnings.push(`pixdim[${i}] was negative (${p}); using ${-p}`);
      header.pixdim[i] = -p;
    }
  }
  if (header.pixdim[0] !== 1 && header.pixdim[0] !== -1) {
    if (header.pixdim[0] !== 0) warnings.push(`pixdim[0] (qfac) was ${header.pixdim[0]}; using 1`);
    header.pixdim[0] = 1;
  }
  for (const key of ['qformCode', 'sformCode'] as const) {
    if (!(header[key] >= 0 && header[key] <= 5)) {
      warnings.push(`${key === 'qformCode' ? 'qform_code' : 'sform_code'} ${header[key]} is not a NIfTI xform code; treating it as 0`);
      header[key] = 0;
    }
  }
  const slope = header.sclSlope;
  if (slope !== 0 && Number.isFinite(slope) && !Number.isFinite(header.sclInter)) {
    throw niftiError(file, `scl_inter must be finite when scl_slope (${slope}) is set, but got ${header.sclInter}`);
  }
  const spacing = shape.map((_, i) => header.pixdim[i + 1]!);
  let best: { affine: Affine; source: AffineSource };
  try {
    best = bestAffine(header, shape, spacing);
  } catch (err) {
    throw niftiError(file, `the qform is invalid: ${(err as Error).message}`, undefined, err);
  }
  return {
    header,
    shape,
    diskDtype: dtypeFromCode(header.datatype)!,
    scaled: scalingApplies(header.sclSlope, header.sclInter),
    spacing,
    affine: best.affine,
    affineSource: best.source,
    orientation: orientationCode(best.affine),
    warnings,
    compressed,
  };
}
