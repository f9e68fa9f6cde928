import { basename } from 'node:path';
import { imageStats } from '../nifti/image-stats.js';
import { readNifti, readNiftiHeader } from '../nifti/read-nifti.js';
import type { CliIo } from './cli-io.js';
import { UsageError, flag, parseCommandArgs, processIo, runCommand } from './cli-io.js';

export const INFO_USAGE = `usage: openmind-data info <file.nii[.gz]> [--json] [--no-stats] [--reorient]

Prints shape, datatype, spacing, affine, orientation code and min/max/mean of a NIfTI volume.

  --json       print one JSON object instead of text
  --no-stats   read only the header (no min/max/mean; fast for large files)
  --reorient   describe the volume after reorientation to RAS+
  -h, --help   this help`;

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : Number(n.toPrecision(6)).toString();
}

/**
 * `openmind-data info`: describes a NIfTI file. NaN/Inf voxels do not fail the command; they are counted.
 * @returns the exit status (0 ok, 2 usage or an unreadable file)
 */
export async function runInfo(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCommand(io, INFO_USAGE, async () => {
    const args = parseCommandArgs(argv, { json: 'boolean', 'no-stats': 'boolean', reorient: 'boolean' });
    const positionals = args.positionals;
    const reorient = flag(args, 'reorient');
    if (flag(args, 'help')) {
      io.out(INFO_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`info takes exactly one file, but got ${positionals.length}.`);
    const file = positionals[0]!;
    const header = await readNiftiHeader(file);
    const withStats = !flag(args, 'no-stats');
    const img = withStats || reorient ? await readNifti(file, { nonFinite: 'warn', reorient }) : undefined;
    const stats = withStats && img ? imageStats(img.data) : undefined;
    const report = {
      file,
      format: `NIfTI-${header.header.version}`,
      byteOrder: header.header.littleEndian ? 'little-endian' : 'big-endian',
      compressed: header.compressed,
      shape: img?.shape ?? header.shape,
      dtype: header.diskDtype,
      scaling: header.scaled ? { slope: header.header.sclSlope, inter: header.header.sclInter, readAs: img?.dtype ?? 'float32' } : null,
      spacing: img?.spacing ?? header.spacing,
      orientation: img?.orientation ?? header.orientation,
      affineSource: img?.affineSource ?? header.affineSource,
      qformCode: header.header.qformCode,
      sformCode: header.header.sformCode,
      affine: img?.affine ?? header.affine,
      stats: stats ? { min: stats.min, max: stats.max, mean: stats.mean, std: stats.std, nonFinite: stats.nonFinite } : null,
      description: header.header.descrip,
      warnings: img?.warnings ?? header.warnings,
    };
    if (flag(args, 'json')) {
      io.out(JSON.stringify(report, null, 2));
      return 0;
    }
    const lines = [
      `file         ${basename(file)}`,
      `format       ${report.format}, ${report.byteOrder}${report.compressed ? ', gzip' : ''}`,
      `shape        [${report.shape.join(', ')}]`,
      `dtype        ${report.dtype}${report.scaling ? ` (scl_slope ${fmt(report.scaling.slope)}, scl_inter ${fmt(report.scaling.inter)}: read as ${report.scaling.readAs})` : ''}`,
      `spacing      [${report.spacing.map(fmt).join(', ')}]`,
      `orientation  ${report.orientation}${reorient ? ' (reoriented)' : ''}`,
      `affine       from ${report.affineSource} (qform_code ${report.qformCode}, sform_code ${report.sformCode})`,
      ...report.affine.map((row) => `  ${row.map((v) => (Math.abs(v) < 5e-13 ? 0 : v).toFixed(4).padStart(11)).join('')}`),
    ];
    if (report.stats) {
      const s = report.stats;
      lines.push(`data         min ${fmt(s.min)}  max ${fmt(s.max)}  mean ${fmt(s.mean)}  std ${fmt(s.std)}${s.nonFinite ? `  non-finite ${s.nonFinite}` : ''}`);
    }
    if (report.description) lines.push(`descrip      ${report.description}`);
    for (const w of report.warnings) lines.push(`warning      ${w}`);
    io.out(lines.join('\n'));
    return 0;
  });
}
