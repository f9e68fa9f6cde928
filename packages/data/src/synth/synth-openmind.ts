import { mkdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Rng, writeFileAtomic } from '@openmind-ssl/core';
import { createNiftiImage } from '../nifti/create-nifti-image.js';
import type { NiftiDType } from '../nifti/dtypes.js';
import { writeNifti } from '../nifti/write-nifti.js';
import type { CsvValue } from '../dataset/csv.js';
import { toCsv } from '../dataset/csv.js';
import type { SynthContrast } from './contrasts.js';
import { Tissue, isBrain, randomAnatomy } from './head-anatomy.js';
import { renderContrast, renderFaceMask, renderLabels } from './render-volume.js';
import { randomGrid } from './synth-grid.js';

/** Options of {@link generateSyntheticOpenMind}. */
export interface SynthOpenMindOptions {
  /** Folder to write into (created). */
  out: string;
  /** Number of subjects, spread over three datasets. Default 12. */
  subjects?: number;
  /** Seed; the same seed writes the same files. Default 0. */
  seed?: number;
  /** Field of view in mm, about the voxels per side at 1 mm. Default 48. */
  sizeMm?: number;
  /** Rician noise relative to the brightest tissue. Default 0.03. */
  noise?: number;
  /** gzip level of the written files. Default 6. */
  compressionLevel?: number;
}

/** One image the generator wrote, with what was done to it (for tests and demos). */
export interface SynthImageRecord {
  /** Path relative to `<out>/OpenMind/`, as in openneuro_metadata.csv. */
  imagePath: string;
  dataset: string;
  subject: string;
  /** Session as nnssl names it (ses-DEFAULT when the path has none). */
  session: string;
  modality: SynthContrast;
  derivedFrom: string | null;
  defaced: boolean;
  brainExtracted: boolean;
  /** Mask paths relative to `<out>/OpenMind/`, or null when not written. */
  defaceMask: string | null;
  anatomyMask: string | null;
  imageQualityScore: number;
  orientation: string;
  spacing: [number, number, number];
  shape: [number, number, number];
  dtype: NiftiDType;
  /** Lesion voxels in this image. */
  lesionVoxels: number;
}

/** What {@link generateSyntheticOpenMind} wrote. */
export interface SynthOpenMindManifest {
  root: string;
  seed: number;
  subjects: number;
  images: SynthImageRecord[];
}

interface DatasetStyle {
  id: string;
  /** Session folder per visit; null = no session level (nnssl: ses-DEFAULT). */
  sessions: (visit: number) => string | null;
  visits: (subjectIndex: number) => number;
  defaced: boolean;
  brainExtracted: boolean;
  anatomyMask: boolean;
  /** Modalities besides T1w, each with its probability. */
  extra: [SynthContrast, number][];
  /** Write these modalities uncompressed (.nii), as some OpenMind files are. */
  uncompressed: SynthContrast[];
  dtype: NiftiDType;
  baseIqs: number;
  manufacturer: string;
  fieldStrength: number;
}

// Three acquisition/processing styles, as OpenMind's sources differ per dataset.
const STYLES: readonly DatasetStyle[] = [
  {
    id: 'ds900001', sessions: (v) => `ses-${v + 1}`, visits: (i) => (i % 2 === 0 ? 2 : 1),
    defaced: true, brainExtracted: false, anatomyMask: true, extra: [['T2w', 0.6], ['FLAIR', 0.5], ['MD', 0.4]],
    uncompressed: [], dtype: 'float32', baseIqs: 1.0, manufacturer: 'Siemens', fieldStrength: 3,
  },
  {
    id: 'ds900002', sessions: () => null, visits: () => 1,
    defaced: false, brainExtracted: true, anatomyMask: true, extra: [['FLAIR', 0.7]],
    uncompressed: [], dtype: 'float32', baseIqs: 2.0, manufacturer: 'GE', fieldStrength: 1.5,
  },
  {
    id: 'ds900003', sessions: () => 'ses-baseline', visits: () => 1,
    defaced: false, brainExtracted: false, anatomyMask: false, extra: [['T2w', 0.6]],
    uncompressed: ['T2w'], dtype: 'int16', baseIqs: 3.5, manufacturer: 'Philips', fieldStrength: 3,
  },
];

const TIMING: Record<SynthContrast, [number, number]> = { T1w: [2.3, 0.00298], T2w: [3.2, 0.408], FLAIR: [5.0, 0.388], MD: [8.0, 0.089] };

function iqsFor(style: DatasetStyle, modality: SynthContrast, seed: number): number {
  // One score per (dataset, modality), as in OpenMind; a quarter step of jitter from the seed.
  const offset = { T1w: 0, T2w: 0.5, FLAIR: 1.0, MD: 1.5 }[modality];
  const jitter = new Rng(seed * 31 + style.id.charCodeAt(7) * 7 + modality.length).bernoulli(0.5) ? 0.5 : 0;
  return Math.min(5, style.baseIqs + offset + jitter);
}

/**
 * Writes a synthetic dataset in the OpenMind layout: `<out>/OpenMind/<dataset>/sub-XXX/[ses-…/]anat/…`
 * with per-image `<stem>__Data/deface_mask.nii.gz` and `fb_mask.nii.gz`, DWI-derived MD maps under
 * `dwi/<stem>__Data/`, and `<out>/openneuro_metadata.csv` with image quality scores. Heads vary in size,
 * shape, tilt, folding, ventricles and lesions; each image has its own spacing (some anisotropic) and
 * orientation (RAS, LPS, sagittal, coronal, some oblique); dataset ds900001 is defaced, ds900002 brain
 * extracted, ds900003 raw. Deterministic for a seed.
 * @returns the manifest of what was written (also saved as `<out>/synth_manifest.json`)
 */
export async function generateSyntheticOpenMind(options: SynthOpenMindOptions): Promise<SynthOpenMindManifest> {
  const subjects = options.subjects ?? 12;
  const seed = options.seed ?? 0;
  const fov = options.sizeMm ?? 48;
  if (!Number.isInteger(subjects) || subjects < 1) throw new RangeError(`generateSyntheticOpenMind: subjects must be a positive integer, but got ${subjects}.`);
  if (!(fov >= 16)) throw new RangeError(`generateSyntheticOpenMind: sizeMm must be at least 16, but got ${fov}.`);
  const root = options.out;
  const omDir = join(root, 'OpenMind');
  const rng = new Rng(seed);
  const images: SynthImageRecord[] = [];
  const rows: Record<string, CsvValue>[] = [];
  const write = async (rel: string, data: Float32Array | Uint8Array | Int16Array, grid: ReturnType<typeof randomGrid>) => {
    const file = join(omDir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeNifti(file, createNiftiImage(data, grid.shape, { affine: grid.affine }), { compressionLevel: options.compressionLevel ?? 6 });
  };

  for (let s = 0; s < subjects; s++) {
    const srng = rng.fork();
    const style = STYLES[s % STYLES.length]!;
    const subject = `sub-${String(s + 1).padStart(3, '0')}`;
    const patient = srng.bernoulli(0.4);
    const anatomy = randomAnatomy(srng, { fovMm: fov, lesions: patient ? srng.int(1, 5) : 0 });
    const subjectInfo = {
      age: style.id === 'ds900003' && srng.bernoulli(0.5) ? null : srng.int(18, 81),
      sex: srng.bernoulli(0.5) ? 'F' : 'M',
      handedness: srng.bernoulli(0.3) ? null : srng.bernoulli(0.9) ? 'R' : 'L',
      health_status: patient ? 'patient' : 'healthy',
    };
    for (let visit = 0; visit < style.visits(s); visit++) {
      const sesFolder = style.sessions(visit);
      const session = sesFolder ?? 'ses-DEFAULT';
      const prefix = sesFolder ? `${subject}_${sesFolder}` : subject;
      const base = sesFolder ? `${style.id}/${subject}/${sesFolder}` : `${style.id}/${subject}`;
      const visitAnatomy = { ...anatomy, pitch: anatomy.pitch + srng.uniformIn(-0.05, 0.05) };
      // The first subject of each dataset has every modality, so even a tiny dataset shows them all.
      const modalities: SynthContrast[] = ['T1w', ...style.extra.filter(([, p]) => srng.bernoulli(p) || s < STYLES.length).map(([m]) => m)];
      for (const modality of modalities) {
        const grid = randomGrid(srng, fov);
        const labels = renderLabels(visitAnatomy, grid);
        const derived = modality === 'MD';
        const ext = style.uncompressed.includes(modality) ? '.nii' : '.nii.gz';
        const imagePath = derived ? `${base}/dwi/${prefix}_dwi__Data/MD.nii.gz` : `${base}/anat/${prefix}_${modality}${ext}`;
        const dataDir = posix.join(posix.dirname(imagePath), `${posix.basename(imagePath).replace(/\.nii(\.gz)?$/, '')}__Data`);
        const defaced = style.defaced && !derived;
        const faceMask = defaced ? renderFaceMask(visitAnatomy, grid) : undefined;
        const brainExtracted = style.brainExtracted || derived;
        const values = renderContrast(labels, grid, modality, srng, {
          noise: options.noise ?? 0.03,
          bias: derived ? 0 : 0.12,
          gain: derived ? 1 : srng.uniformIn(800, 1200),
          brainExtracted,
          faceMask,
        });
        const dtype: NiftiDType = derived ? 'float32' : style.dtype;
        await write(imagePath, dtype === 'int16' ? Int16Array.from(values, Math.round) : values, grid);
        let defaceMask: string | null = null;
        let anatomyMask: string | null = null;
        if (faceMask) {
          defaceMask = `${dataDir}/deface_mask.nii.gz`;
          await write(defaceMask, faceMask, grid);
        }
        if (style.anatomyMask && !derived) {
          anatomyMask = `${dataDir}/fb_mask.nii.gz`;
          // Anatomy = what holds signal: the brain after extraction, else the head minus the defaced part.
          const anat = Uint8Array.from(labels, (l, i) => (brainExtracted ? isBrain(l) : l !== Tissue.Background && !faceMask?.[i]) ? 1 : 0);
          await write(anatomyMask, anat, grid);
        }
        const iqs = iqsFor(style, modality, seed);
        let lesionVoxels = 0;
        for (const l of labels) if (l === Tissue.Lesion) lesionVoxels++;
        images.push({
          imagePath, dataset: style.id, subject, session, modality, derivedFrom: derived ? 'DWI' : null,
          defaced, brainExtracted, defaceMask, anatomyMask, imageQualityScore: iqs, orientation: grid.orientation,
          spacing: grid.spacing, shape: grid.shape, dtype, lesionVoxels,
        });
        const [tr, te] = TIMING[modality];
        rows.push({
          image_path: imagePath, anon_mask_path: defaceMask, anat_mask_path: anatomyMask,
          unique_id: `${style.id}_${prefix}_${derived ? 'dwi_MD' : modality}`, modality, image_quality_score: iqs,
          derived_from: derived ? 'DWI' : null, is_brain_extract: brainExtracted, manufacturer: style.manufacturer,
          model_name: `${style.manufacturer} Synth ${style.fieldStrength}T`, phase_encoding_direction: 'j-',
          magnetic_field_strength: style.fieldStrength, repetition_time: tr, echo_time: te,
          ...subjectInfo, race: null, weight: null, bmi: null,
        });
      }
    }
  }
  const columns = [
    'image_path', 'anon_mask_path', 'anat_mask_path', 'unique_id', 'modality', 'image_quality_score', 'derived_from',
    'is_brain_extract', 'manufacturer', 'model_name', 'phase_encoding_direction', 'magnetic_field_strength',
    'repetition_time', 'echo_time', 'age', 'sex', 'handedness', 'race', 'weight', 'bmi', 'health_status',
  ];
  await writeFileAtomic(join(root, 'openneuro_metadata.csv'), toCsv(columns, rows));
  const manifest: SynthOpenMindManifest = { root, seed, subjects, images };
  await writeFileAtomic(join(root, 'synth_manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
