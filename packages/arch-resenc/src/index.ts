import { resencPlugin } from './plugin.js';

export { resencPlugin } from './plugin.js';
export { resencFactory, type ResEncArchitectureOptions, type ResEncDownstreamOptions, type ResEncFactory } from './resenc-factory.js';
export { ResidualEncoderUNet, type ResidualEncoderUNetOptions } from './residual-encoder-unet.js';
export { ResidualEncoder } from './residual-encoder.js';
export { UNetDecoder } from './unet-decoder.js';
export { BasicBlockD, type BasicBlockDOptions } from './basic-block-d.js';
export { StackedResidualBlocks } from './stacked-residual-blocks.js';
export { StackedConvBlocks, type StackedConvBlocksOptions } from './stacked-conv-blocks.js';
export { ConvNormAct, type ConvNormActOptions } from './conv-norm-act.js';
export { resolveResEncConfig, totalStride, type ResEncConfig, type ResolvedResEncConfig, type Triple } from './config.js';
export { RESENC_PRESETS, RESENC_PRESET_NAMES, resEncPreset, type ResEncPreset } from './presets.js';
export { resEncParameterCount, resEncParameterShapes, type ParameterShape, type ResEncShapeOptions } from './parameter-shapes.js';
export { applyHeInit, type ResEncInit } from './init.js';
export { isTorchAliasKey, resencPytorchKeys, withoutTorchAliases, withTorchAliases } from './torch-aliases.js';
export { resEncArchitecturePlans, resEncConfigFromArchitecturePlans, type ArchitecturePlans } from './architecture-plans.js';

export default resencPlugin;
