import { OpenMindError } from '@openmind-ssl/core';
import type { NiftiImage } from '../nifti/nifti-image.js';
import { readNifti } from '../nifti/read-nifti.js';
import type { CaseInput } from './preprocess-case.js';
import type { PreprocessInputCase } from './preprocess-input.js';
import type { ImageVolume, MaskVolume, Shape3 } from './volume.js';
import { arrayGeometry } from './array-geometry.js';

export { arrayGeometry };


/**
 * The image as one channel: a 3-D image as it is, volume `volumeIndex` of a 4-D series. A 4-D series
 * without a volume index is refused: indexing decides what it becomes (split or refused), so that a store
 * never mixes channel counts.
 */
function toImageVolume(img: NiftiImage, file: string, volumeIndex: number | undefined): ImageVolume {
  const g = arrayGeometry(img.shape, img.spacing, file);
  const volume = g.spatial[0] * g.spatial[1] * g.spatial[2];
  const k = volumeIndex ?? 0;
  if (g.channels > 1 && volumeIndex === undefined) {
    throw new OpenMindError(
      `preprocess "${file}": the image is a 4-D series of ${g.channels} volumes (shape [${img.shape.join(', ')}]), but the case names no volume.\nHint: index the folder with 'openmind data index' (or preprocess the folder itself), which splits 4-D series into 3-D volumes.`,
    );
  }
  if (!(k < g.channels)) throw new OpenMindError(`preprocess "${file}": volume ${k} was asked for, but the image has ${g.channels} volume(s) (shape [${img.shape.join(', ')}]).`);
  const source = img.data.subarray(k * volume, (k + 1) * volume);
  const data = source instanceof Float32Array ? source : Float32Array.from(source);
  return { data, shape: [1, ...g.spatial], spacing: g.spacing, affine: img.affine };
}

function toMaskVolume(img: NiftiImage, file: string, expected: Shape3): MaskVolume {
  const g = arrayGeometry(img.shape, img.spacing, file);
  if (g.channels !== 1) throw new OpenMindError(`preprocess "${file}": a mask must have one channel, but got ${g.channels}.`);
  const data = new Int8Array(img.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = img.data[i]!;
    if (!Number.isInteger(v) || v < -128 || v > 127) {
      throw new OpenMindError(`preprocess "${file}": mask values must be integers in [-128, 127], but voxel ${i} is ${v}.`);
    }
    data[i] = v;
  }
  if (g.spatial.some((s, i) => s !== expected[i])) {
    throw new OpenMindError(`preprocess "${file}": the mask shape must equal its image's [${expected.join(', ')}], but got [${g.spatial.join(', ')}].`);
  }
  return { data, shape: g.spatial };
}

/** Reads an image and its masks from disk (NaN/Inf voxels are an error, as in nnssl). */
export async function loadCaseInput(c: PreprocessInputCase): Promise<CaseInput> {
  const image = toImageVolume(await readNifti(c.imagePath), c.imagePath, c.volumeIndex);
  const spatial = image.shape.slice(1) as Shape3;
  const anon = c.anonymizationMaskPath ? toMaskVolume(await readNifti(c.anonymizationMaskPath), c.anonymizationMaskPath, spatial) : null;
  const anat = c.anatomyMaskPath ? toMaskVolume(await readNifti(c.anatomyMaskPath), c.anatomyMaskPath, spatial) : null;
  return {
    id: c.id,
    subjectId: c.subjectId,
    image,
    anonymizationMask: anon,
    anatomyMask: anat,
    sources: { image: c.imagePath, anonymizationMask: c.anonymizationMaskPath, anatomyMask: c.anatomyMaskPath },
  };
}
