import { OpenMindError } from '@openmind-ssl/core';
import { arrayGeometry, createNiftiImage, decodeNiftiAsync, encodeNifti, type NiftiImage } from '@openmind-ssl/data/browser';

/** A scan decoded in the worker, kept as float32 in array-axis order for the networks. */
export interface LoadedScan {
  name: string;
  image: NiftiImage;
  /** [C, d0, d1, d2] float32: the NIfTI axes reversed, as nnU-Net's reader hands volumes over. */
  data: Float32Array;
  shape: [number, number, number, number];
  /** Spacing of [d0, d1, d2] in mm. */
  spacing: [number, number, number];
}

/**
 * Decodes the user's file with @openmind-ssl/data (gzip inflated by the browser), refusing anything that
 * is not a 3-D (or 4-D channels-last) NIfTI volume with a message that names the file.
 */
export async function openScan(name: string, bytes: ArrayBuffer): Promise<LoadedScan> {
  if (!/\.nii(\.gz)?$/i.test(name)) {
    throw new OpenMindError(`"${name}" is not a NIfTI file: the page opens .nii and .nii.gz volumes (convert DICOM with dcm2niix first).`);
  }
  const image = await decodeNiftiAsync(new Uint8Array(bytes), name);
  const g = arrayGeometry(image.shape, image.spacing, name);
  return { name, image, data: Float32Array.from(image.data), shape: [g.channels, ...g.spatial], spacing: g.spacing };
}

/** A volume on the scan's grid (x fastest, like the file) as the bytes of an uncompressed .nii. */
export function niftiLike(scan: NiftiImage, data: Float32Array | Uint8Array, shape: number[] = scan.shape.slice(0, 3)): ArrayBuffer {
  const image = createNiftiImage(data, shape, { affine: scan.affine });
  return concat(encodeNifti(image));
}

/** A volume on its own 1 mm grid (a patch), as the bytes of an uncompressed .nii. */
export function niftiOfPatch(data: Float32Array, shape: number[], spacing: number[]): ArrayBuffer {
  const affine = [[spacing[0]!, 0, 0, 0], [0, spacing[1]!, 0, 0], [0, 0, spacing[2]!, 0], [0, 0, 0, 1]];
  return concat(encodeNifti(createNiftiImage(data, shape, { affine })));
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}
