import { checkPrimusConfig, mlpHidden, type PrimusConfig, tokenGridOf } from './config.js';
import { patchDecodePlan } from './patch-decode.js';

/** One state-dict entry: its PyTorch key and shape. */
export type ParameterShape = readonly [key: string, shape: readonly number[]];

/** What the network is built for. */
export interface PrimusShapeOptions {
  inChannels: number;
  outChannels: number;
  /** Network input [d, h, w]; sizes the position embedding. */
  patchSize: readonly [number, number, number];
}

/** The keys and shapes of one EVA transformer under `prefix` (e.g. 'eva'), in PyTorch's order. */
export function evaParameterShapes(prefix: string, config: PrimusConfig, tokens: number): ParameterShape[] {
  const c = checkPrimusConfig(config);
  const d = c.embedDim;
  const h = mlpHidden(c);
  const out: ParameterShape[] = [];
  if (c.useAbsPosEmb) out.push([`${prefix}.pos_embed`, [1, tokens, d]]);
  for (let i = 0; i < c.depth; i++) {
    const b = `${prefix}.blocks.${i}`;
    // torch lists a module's own parameters (the LayerScale gammas) before its children's.
    if (c.initValues !== undefined) out.push([`${b}.gamma_1`, [d]], [`${b}.gamma_2`, [d]]);
    out.push(
      [`${b}.norm1.weight`, [d]], [`${b}.norm1.bias`, [d]],
      [`${b}.attn.q_proj.weight`, [d, d]], [`${b}.attn.q_proj.bias`, [d]],
      [`${b}.attn.k_proj.weight`, [d, d]],
      [`${b}.attn.v_proj.weight`, [d, d]], [`${b}.attn.v_proj.bias`, [d]],
    );
    if (c.scaleAttnInner) out.push([`${b}.attn.norm.weight`, [d]], [`${b}.attn.norm.bias`, [d]]);
    out.push(
      [`${b}.attn.proj.weight`, [d, d]], [`${b}.attn.proj.bias`, [d]],
      [`${b}.norm2.weight`, [d]], [`${b}.norm2.bias`, [d]],
      [`${b}.mlp.fc1_g.weight`, [h, d]], [`${b}.mlp.fc1_g.bias`, [h]],
      [`${b}.mlp.fc1_x.weight`, [h, d]], [`${b}.mlp.fc1_x.bias`, [h]],
      [`${b}.mlp.norm.weight`, [h]], [`${b}.mlp.norm.bias`, [h]],
      [`${b}.mlp.fc2.weight`, [d, h]], [`${b}.mlp.fc2.bias`, [d]],
    );
  }
  out.push([`${prefix}.norm.weight`, [d]], [`${prefix}.norm.bias`, [d]]);
  return out;
}

/**
 * Every trainable parameter of a Primus network with its PyTorch state-dict key and shape, in PyTorch's
 * order (down_projection, up_projection, eva, as DNA registers them), computed from the config alone
 * (nothing is allocated). The persistent buffer `mask_token` is listed by primusBufferShapes.
 */
export function primusParameterShapes(config: PrimusConfig, o: PrimusShapeOptions): ParameterShape[] {
  const c = checkPrimusConfig(config);
  const grid = tokenGridOf(o.patchSize, c.patchEmbedSize);
  const p = c.patchEmbedSize;
  const out: ParameterShape[] = [
    ['down_projection.proj.weight', [c.embedDim, o.inChannels, ...p]],
    ['down_projection.proj.bias', [c.embedDim]],
  ];
  const { channels, strides } = patchDecodePlan(p, c.embedDim, o.outChannels);
  strides.forEach((s, i) => {
    const last = i === strides.length - 1;
    const conv = last ? `up_projection.decode.${i}` : `up_projection.decode.${i}.0`;
    out.push([`${conv}.weight`, [channels[i]!, channels[i + 1]!, ...s]], [`${conv}.bias`, [channels[i + 1]!]]);
    if (!last) out.push([`up_projection.decode.${i}.1.weight`, [channels[i + 1]!]], [`up_projection.decode.${i}.1.bias`, [channels[i + 1]!]]);
  });
  out.push(...evaParameterShapes('eva', c, grid[0] * grid[1] * grid[2]));
  return out;
}

/** The persistent buffers of a Primus network: the zero `mask_token` [1, 1, embedDim]. */
export function primusBufferShapes(config: PrimusConfig): ParameterShape[] {
  return [['mask_token', [1, 1, config.embedDim]]];
}

const elements = (shapes: readonly ParameterShape[]): number => shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);

/** Trainable parameters of a Primus network, without building it. */
export function primusParameterCount(config: PrimusConfig, o: PrimusShapeOptions): number {
  return elements(primusParameterShapes(config, o));
}

/** Elements of the persistent buffers (what a parameter count "including the mask token" adds). */
export function primusBufferCount(config: PrimusConfig): number {
  return elements(primusBufferShapes(config));
}
