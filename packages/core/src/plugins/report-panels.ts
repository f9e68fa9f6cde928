import type { Tensor } from '../tensor/tensor.js';

/**
 * What a reconstructing method (MAE, SimMIM, Models Genesis, …) made of one batch, for the previews of
 * the run report. All three are [N, C, D, H, W] with the batch's shape.
 */
export interface Reconstruction {
  /** What the method reconstructs (usually the batch itself). */
  input: Tensor;
  /** What the network saw: the input masked, noised or shuffled. */
  corrupted: Tensor;
  /** The network's reconstruction of `input`. */
  output: Tensor;
}

/** A picture a method adds to the run report, already rendered (e.g. an attention map). */
export interface ImagePanel {
  type: 'image';
  title: string;
  caption?: string;
  /** The bytes of a PNG file. */
  png: Uint8Array;
}

/** A small matrix the report draws as a heat map (e.g. a contrastive method's similarity matrix). */
export interface MatrixPanel {
  type: 'matrix';
  title: string;
  caption?: string;
  /** Rows of equal length. */
  values: readonly (readonly number[])[];
  rowLabels?: readonly string[];
  columnLabels?: readonly string[];
  /** What a cell's value means (the colour legend's title). */
  valueLabel?: string;
}

/** A method's own panel of the run report. */
export type ReportPanel = ImagePanel | MatrixPanel;
