import { Tissue } from './head-anatomy.js';

/** The image contrasts the generator renders. MD is a DWI-derived mean-diffusivity map (×10⁻³ mm²/s). */
export type SynthContrast = 'T1w' | 'T2w' | 'FLAIR' | 'MD';

/**
 * Relative signal of each tissue, indexed by label (background, scalp, skull, CSF, GM, WM, ventricle,
 * lesion). The orderings are the textbook ones: T1w WM > GM > CSF; T2w CSF > GM > WM; FLAIR like T2w
 * with the CSF signal nulled, so lesions are the brightest structure.
 */
export const TISSUE_SIGNAL: Readonly<Record<SynthContrast, readonly number[]>> = {
  T1w: [0, 0.7, 0.08, 0.18, 0.52, 0.82, 0.16, 0.38],
  T2w: [0, 0.55, 0.05, 1.0, 0.62, 0.42, 1.0, 0.85],
  FLAIR: [0, 0.45, 0.05, 0.07, 0.6, 0.42, 0.06, 1.0],
  MD: [0, 0, 0, 3.0, 0.85, 0.7, 3.0, 1.25],
};

/** Whether a contrast shows only the brain (DWI derivatives are computed inside a brain mask). */
export function brainOnly(contrast: SynthContrast): boolean {
  return contrast === 'MD';
}

if (TISSUE_SIGNAL.T1w.length !== Tissue.Lesion + 1) throw new Error('contrasts.ts: one signal per tissue label is required.');
