// NIfTI IO (src/nifti)
export * from './nifti/index.js';
// pretrain_data.json, OpenMind / folder indexing, filters, split (src/dataset)
export * from './dataset/index.js';
// synthetic OpenMind-format and nnU-Net data (src/synth)
export * from './synth/index.js';
// preprocessing: fingerprint, plans, per-case pipeline, preprocessDataset (src/preprocess)
export * from './preprocess/index.js';
// preprocessed store: Zarr v3 case groups with patch-level random access (src/store)
export * from './store/index.js';
// patch loader: random / anatomy-centred crops, batches built in worker threads (src/loader)
export * from './loader/index.js';
// view samplers: overlapping crop pairs (SimCLR) and grid + target crops (VoCo) (src/views)
export * from './views/index.js';
// the openmind-data commands, for a host CLI to call (src/bin)
export * from './bin/index.js';
