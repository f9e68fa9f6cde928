import { isStrided, resolveResEncConfig, type ResEncConfig, type ResolvedResEncConfig } from './config.js';

/** One state-dict entry: its PyTorch key and shape. */
export type ParameterShape = readonly [key: string, shape: readonly number[]];

/** What the network is built for. */
export interface ResEncShapeOptions {
  inChannels: number;
  outChannels: number;
  /** Only the encoder (no decoder keys). */
  encoderOnly?: boolean;
}

function convNormAct(prefix: string, cin: number, cout: number, k: readonly number[], bias: boolean): ParameterShape[] {
  const out: ParameterShape[] = [[`${prefix}.conv.weight`, [cout, cin, ...k]]];
  if (bias) out.push([`${prefix}.conv.bias`, [cout]]);
  out.push([`${prefix}.norm.weight`, [cout]], [`${prefix}.norm.bias`, [cout]]);
  return out;
}

function stackedConvs(prefix: string, n: number, cin: number, cout: number, k: readonly number[], bias: boolean): ParameterShape[] {
  const out: ParameterShape[] = [];
  for (let i = 0; i < n; i++) out.push(...convNormAct(`${prefix}.convs.${i}`, i === 0 ? cin : cout, cout, k, bias));
  return out;
}

/**
 * Every parameter of a Residual Encoder U-Net with its PyTorch state-dict key and shape, in PyTorch's
 * order, computed from the config alone (no tensors are allocated). The keys are the canonical ones:
 * DNA's duplicate aliases (`…all_modules.N.*`, `decoder.encoder.*`) are left out (see torch-aliases.ts).
 * A test pins this list against the network's real `stateDict()` and against PyTorch.
 */
export function resEncParameterShapes(config: ResEncConfig, options: ResEncShapeOptions): ParameterShape[] {
  const c: ResolvedResEncConfig = resolveResEncConfig(config);
  const f = c.featuresPerStage;
  const out = stackedConvs('encoder.stem', 1, options.inChannels, f[0]!, c.kernels[0]!, c.convBias);
  let cin = f[0]!;
  for (let s = 0; s < c.nStages; s++) {
    const cout = f[s]!;
    for (let b = 0; b < c.nBlocksPerStage[s]!; b++) {
      const prefix = `encoder.stages.${s}.blocks.${b}`;
      const blockIn = b === 0 ? cin : cout;
      const strided = b === 0 && isStrided(c.strideTriples[s]!);
      out.push(...convNormAct(`${prefix}.conv1`, blockIn, cout, c.kernels[s]!, c.convBias));
      out.push(...convNormAct(`${prefix}.conv2`, cout, cout, c.kernels[s]!, c.convBias));
      // ResNet-D skip: [AvgPool3d] then [1×1 conv without bias + norm]; the Sequential index of the
      // projection is 1 when a pooling layer comes first.
      if (blockIn !== cout) out.push(...convNormAct(`${prefix}.skip.${strided ? 1 : 0}`, blockIn, cout, [1, 1, 1], false));
    }
    cin = cout;
  }
  if (options.encoderOnly) return out;
  const transp: ParameterShape[] = [];
  const seg: ParameterShape[] = [];
  for (let s = 0; s < c.nStages - 1; s++) {
    const below = f[c.nStages - 1 - s]!;
    const skip = f[c.nStages - 2 - s]!;
    const stride = c.strideTriples[c.nStages - 1 - s]!;
    out.push(...stackedConvs(`decoder.stages.${s}`, c.nConvPerStageDecoder[s]!, 2 * skip, skip, c.kernels[c.nStages - 2 - s]!, c.convBias));
    transp.push([`decoder.transpconvs.${s}.weight`, [below, skip, ...stride]]);
    if (c.convBias) transp.push([`decoder.transpconvs.${s}.bias`, [skip]]);
    seg.push([`decoder.seg_layers.${s}.weight`, [options.outChannels, skip, 1, 1, 1]], [`decoder.seg_layers.${s}.bias`, [options.outChannels]]);
  }
  return [...out, ...transp, ...seg];
}

/** Number of parameter elements of a Residual Encoder U-Net, without building it. */
export function resEncParameterCount(config: ResEncConfig, options: ResEncShapeOptions): number {
  return resEncParameterShapes(config, options).reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
}
