/** Three spatial sizes or coordinates, in (X, Y, Z) order: axes 1, 2, 3 of a (C, X, Y, Z) volume. */
export type Triple = readonly [number, number, number];

/** A closed interval [low, high] that a random parameter is drawn from. */
export type ValueRange = readonly [number, number];

/** Integer label or mask storage (segmentation labels, anatomy and anonymization masks). */
export type LabelArray = Uint8Array | Int32Array;

/** Any voxel storage a geometric transform moves around unchanged: images and label volumes. */
export type VoxelArray = Float32Array | Uint8Array | Int32Array;

/** [C, X, Y, Z] of a channel-first volume. */
export type VolumeShape = readonly [number, number, number, number];
