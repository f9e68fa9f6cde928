import { niftiStem } from './build-openmind.js';
import type { PretrainImage } from './pretrain-data.js';

/**
 * What indexing does with a 4-D image (a DWI or fMRI series): 'split' (the default) makes one 3-D image
 * entry per volume, as OpenMind derives 3-D images from its 4-D DWI; 'refuse' leaves the file out with
 * the reason. Either way the decision is made at indexing, so a store never mixes channel counts.
 */
export type FourDPolicy = 'split' | 'refuse';

/** The `image_info` key that holds the volume of a split 4-D series (0-based). */
export const VOLUME_INDEX_KEY = 'volume_index';

/** How many 3-D volumes a NIfTI shape holds, or why it cannot be indexed (trailing size-1 axes ignored). */
export function volumesOf(shape: readonly number[]): { volumes: number } | { problem: string } {
  const dims = [...shape];
  while (dims.length > 3 && dims[dims.length - 1] === 1) dims.pop();
  if (dims.length < 3) return { problem: `the image must be 3-D, but its shape is [${shape.join(', ')}]` };
  if (dims.length > 4) return { problem: `the image must be 3-D or a 4-D series, but its shape [${shape.join(', ')}] has ${dims.length} axes (a CIFTI or 5-D file?)` };
  return { volumes: dims[3] ?? 1 };
}

/** `sub-01_dwi.nii.gz`, volume 3 of 65 → `sub-01_dwi_vol-03.nii.gz`: the volume index joins the image id. */
export function volumeImageName(name: string, index: number, volumes: number): string {
  const stem = niftiStem(name);
  const width = String(volumes - 1).length;
  return `${stem}_vol-${String(index).padStart(width, '0')}${name.slice(stem.length)}`;
}

/** One entry per volume: same file and masks, the volume index in the name and in `image_info`. */
export function splitVolumes(img: PretrainImage, volumes: number): PretrainImage[] {
  return Array.from({ length: volumes }, (_, k) => ({
    ...img,
    name: volumeImageName(img.name, k, volumes),
    image_info: { ...img.image_info, [VOLUME_INDEX_KEY]: k },
    associated_masks: img.associated_masks ? { ...img.associated_masks } : null,
  }));
}

/** The volume index an entry was split with, or undefined for a 3-D image. */
export function volumeIndexOf(img: Pick<PretrainImage, 'image_info'>): number | undefined {
  const v = img.image_info?.[VOLUME_INDEX_KEY];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}
