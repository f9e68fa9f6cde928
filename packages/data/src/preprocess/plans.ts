import { OpenMindError, didYouMean } from '@openmind-ssl/core';
import type { ResampleOptions } from './resample-to-shape.js';
import { invertAxisOrder, type AxisOrder } from './transpose-volume.js';
import type { Shape3 } from './volume.js';

/** The three configurations nnssl always plans. */
export const SPACING_STYLES = ['median', 'onemmiso', 'noresample'] as const;
export type SpacingStyle = (typeof SPACING_STYLES)[number];

/** The default configuration: 1 mm isotropic. */
export const DEFAULT_CONFIGURATION: SpacingStyle = 'onemmiso';

/** One preprocessing configuration (nnssl `ConfigurationPlan`). */
export interface ConfigurationPlan {
  /** `<plansName>_<config>`: the folder the preprocessed cases go to. */
  dataIdentifier: string;
  spacingStyle: SpacingStyle;
  /** Target spacing in transposed axis order; null keeps each image's spacing. */
  spacing: Shape3 | null;
  /** Network patch size; set by trainers, null here. */
  patchSize: Shape3 | null;
  dataResampling: ResampleOptions;
  maskResampling: ResampleOptions;
}

/** Plans for a dataset (nnssl `Plan`), in camelCase; see {@link plansToNnssl} for the file form. */
export interface Plans {
  datasetName: string;
  plansName: string;
  /** Median spacing of the fingerprint, transposed. */
  originalMedianSpacingAfterTransp: Shape3;
  /** Axis order applied to every image first: the largest-spacing axis of the median spacing goes first. */
  transposeForward: AxisOrder;
  transposeBackward: AxisOrder;
  configurations: Record<SpacingStyle, ConfigurationPlan>;
}

/** numpy `percentile(values, 50)` (linear interpolation): the median, averaging the middle pair. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  const lo = s[Math.floor(h)]!;
  const hi = s[Math.ceil(h)]!;
  return lo + (hi - lo) * (h - Math.floor(h));
}

/**
 * Plans the three configurations from the fingerprint spacings (array-axis order) as nnssl's
 * `ExperimentPlanner`: median spacing per axis; `transposeForward = [argmax(median), remaining axes]`
 * (first axis on ties), applied for every configuration; `median` resamples to the transposed median,
 * `onemmiso` to 1 mm, `noresample` keeps the spacing.
 * @throws OpenMindError when there are no spacings.
 */
export function planExperiment(spacings: readonly Shape3[], datasetName: string, plansName = 'nnsslPlans'): Plans {
  if (spacings.length === 0) throw new OpenMindError(`plan "${datasetName}": the fingerprint must hold at least one spacing, but it is empty.`);
  const med = [0, 1, 2].map((a) => median(spacings.map((s) => s[a]!))) as Shape3;
  let maxAxis = 0;
  for (let a = 1; a < 3; a++) if (med[a]! > med[maxAxis]!) maxAxis = a;
  const forward = [maxAxis, ...[0, 1, 2].filter((a) => a !== maxAxis)] as AxisOrder;
  const medT: Shape3 = [med[forward[0]]!, med[forward[1]]!, med[forward[2]]!];
  const config = (style: SpacingStyle, spacing: Shape3 | null): ConfigurationPlan => ({
    dataIdentifier: `${plansName}_${style}`,
    spacingStyle: style,
    spacing,
    patchSize: null,
    dataResampling: { order: 3, orderZ: 0, forceSeparateZ: null },
    maskResampling: { order: 1, orderZ: 0, forceSeparateZ: null },
  });
  return {
    datasetName,
    plansName,
    originalMedianSpacingAfterTransp: medT,
    transposeForward: forward,
    transposeBackward: invertAxisOrder(forward),
    configurations: { median: config('median', medT), onemmiso: config('onemmiso', [1, 1, 1]), noresample: config('noresample', null) },
  };
}

/** Looks a configuration up by name. @throws OpenMindError listing the known names. */
export function configurationOf(plans: Plans, name: string): ConfigurationPlan {
  const c = (plans.configurations as Record<string, ConfigurationPlan | undefined>)[name];
  if (!c) {
    throw new OpenMindError(`plans: no configuration named "${name}".${didYouMean(name, Object.keys(plans.configurations))} Known: ${Object.keys(plans.configurations).join(', ')}.`);
  }
  return c;
}

/**
 * The plans as nnssl writes `nnsslPlans.json` (snake_case keys, resampling kwargs as nnssl names them), so
 * they can be embedded in an adaptation plan or read by nnssl.
 */
export function plansToNnssl(plans: Plans): Record<string, unknown> {
  const kwargs = (o: ResampleOptions, isSeg: boolean) => ({ is_seg: isSeg, order: o.order, order_z: o.orderZ, force_separate_z: o.forceSeparateZ });
  const configurations: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(plans.configurations)) {
    configurations[name] = {
      data_identifier: c.dataIdentifier,
      preprocessor_name: 'DefaultPreprocessor',
      spacing_style: c.spacingStyle,
      normalization_schemes: ['ZScoreNormalization'],
      use_mask_for_norm: [false],
      resampling_fn_data: 'resample_data_or_seg_to_shape',
      resampling_fn_data_kwargs: kwargs(c.dataResampling, false),
      resampling_fn_mask: 'resample_data_or_seg_to_shape',
      resampling_fn_mask_kwargs: kwargs(c.maskResampling, true),
      spacing: c.spacing,
      patch_size: c.patchSize,
    };
  }
  return {
    dataset_name: plans.datasetName,
    plans_name: plans.plansName,
    original_median_spacing_after_transp: plans.originalMedianSpacingAfterTransp,
    // Arrays are laid out as SimpleITK returns them (reversed NIfTI axes), so downstream readers match.
    image_reader_writer: 'SimpleITKIO',
    transpose_forward: plans.transposeForward,
    transpose_backward: plans.transposeBackward,
    configurations,
    experiment_planner_used: 'ExperimentPlanner',
  };
}

/**
 * The plan a pre-training run saves as its adaptation plan's `pretrain_plan` (nnssl-spec §6.2): the file
 * form with only the configuration that was trained (its `patch_size` is filled in from the run).
 * @throws OpenMindError for an unknown configuration.
 */
export function pretrainPlanToNnssl(plans: Plans, configuration: string): Record<string, unknown> {
  const trained = configurationOf(plans, configuration);
  return plansToNnssl({ ...plans, configurations: { [configuration]: trained } as Plans['configurations'] });
}

/**
 * Reads plans in nnssl's file form (as {@link plansToNnssl} writes them, or as nnssl writes them). Every
 * field is checked for its type and range, so a damaged file is refused here rather than mid-preprocessing.
 * @throws OpenMindError naming the file and the first missing or invalid field.
 */
export function plansFromNnssl(json: Record<string, unknown>, file: string): Plans {
  const bad = (at: string, expected: string, got: unknown): never => {
    throw new OpenMindError(`plans "${file}": ${at} must be ${expected}, but ${got === undefined ? 'it is missing' : `got ${JSON.stringify(got)?.slice(0, 60)}`}.`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const str = (v: unknown, at: string): string => (typeof v === 'string' ? v : bad(at, 'a string', v));
  const shape3 = (v: unknown, at: string): Shape3 =>
    Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0) ? (v as Shape3) : bad(at, 'three positive numbers', v);
  const orShape3 = (v: unknown, at: string): Shape3 | null => (v === undefined || v === null ? null : shape3(v, at));
  const axisOrder = (v: unknown, at: string): AxisOrder =>
    Array.isArray(v) && v.length === 3 && [...v].sort().join() === '0,1,2' ? (v as AxisOrder) : bad(at, 'a permutation of [0, 1, 2]', v);
  const resampling = (k: unknown, fallbackOrder: 0 | 1 | 3, at: string): ResampleOptions => {
    if (k === undefined) return { order: fallbackOrder, orderZ: 0, forceSeparateZ: null };
    if (!isObject(k)) return bad(at, 'an object', k);
    const order = k['order'] ?? fallbackOrder;
    const orderZ = k['order_z'] ?? 0;
    const separate = k['force_separate_z'] ?? null;
    if (order !== 0 && order !== 1 && order !== 3) bad(`${at}.order`, '0, 1 or 3', order);
    if (orderZ !== 0 && orderZ !== 1) bad(`${at}.order_z`, '0 or 1', orderZ);
    if (separate !== null && typeof separate !== 'boolean') bad(`${at}.force_separate_z`, 'true, false or null', separate);
    return { order: order as 0 | 1 | 3, orderZ: orderZ as 0 | 1, forceSeparateZ: separate as boolean | null };
  };
  const configs = json['configurations'];
  if (!isObject(configs)) return bad('configurations', 'an object', configs);
  const configurations = {} as Record<SpacingStyle, ConfigurationPlan>;
  for (const [name, c] of Object.entries(configs)) {
    const at = `configurations.${name}`;
    if (!isObject(c)) return bad(at, 'an object', c);
    const style = c['spacing_style'] ?? name;
    if (!SPACING_STYLES.includes(style as SpacingStyle)) bad(`${at}.spacing_style`, `one of ${SPACING_STYLES.join(', ')}`, style);
    configurations[name as SpacingStyle] = {
      dataIdentifier: str(c['data_identifier'], `${at}.data_identifier`),
      spacingStyle: style as SpacingStyle,
      spacing: orShape3(c['spacing'], `${at}.spacing`),
      patchSize: orShape3(c['patch_size'], `${at}.patch_size`),
      dataResampling: resampling(c['resampling_fn_data_kwargs'], 3, `${at}.resampling_fn_data_kwargs`),
      maskResampling: resampling(c['resampling_fn_mask_kwargs'], 1, `${at}.resampling_fn_mask_kwargs`),
    };
  }
  return {
    datasetName: str(json['dataset_name'], 'dataset_name'),
    plansName: str(json['plans_name'], 'plans_name'),
    originalMedianSpacingAfterTransp: shape3(json['original_median_spacing_after_transp'], 'original_median_spacing_after_transp'),
    transposeForward: axisOrder(json['transpose_forward'], 'transpose_forward'),
    transposeBackward: axisOrder(json['transpose_backward'], 'transpose_backward'),
    configurations,
  };
}
