import { describe, expect, it } from 'vitest';
import { configurationOf, median, planExperiment, plansFromNnssl, plansToNnssl, pretrainPlanToNnssl } from './plans.js';
import { invertAxisOrder, transposeVolume } from './transpose-volume.js';

describe('planExperiment', () => {
  describe('having spacings whose largest median is the last axis', () => {
    const plans = planExperiment([[0.9, 1, 3], [1.1, 1, 5], [1, 0.8, 4], [1, 1.2, 6]], 'Dataset001_Test');

    it('should take the per-axis median (numpy percentile 50) and put the coarsest axis first', () => {
      expect(median([3, 5, 4, 6])).toBe(4.5);
      expect(plans.transposeForward).toEqual([2, 0, 1]);
      expect(plans.transposeBackward).toEqual([1, 2, 0]);
      expect(plans.originalMedianSpacingAfterTransp).toEqual([4.5, 1, 1]);
    });

    it('should plan median, onemmiso and noresample with nnssl resampling settings', () => {
      expect(plans.configurations.median.spacing).toEqual([4.5, 1, 1]);
      expect(plans.configurations.onemmiso.spacing).toEqual([1, 1, 1]);
      expect(plans.configurations.noresample.spacing).toBeNull();
      expect(plans.configurations.onemmiso.dataIdentifier).toBe('nnsslPlans_onemmiso');
      expect(plans.configurations.onemmiso.dataResampling).toEqual({ order: 3, orderZ: 0, forceSeparateZ: null });
      expect(plans.configurations.onemmiso.maskResampling).toEqual({ order: 1, orderZ: 0, forceSeparateZ: null });
    });

    it('should write and read the nnssl file form', () => {
      const json = plansToNnssl(plans);
      expect(json).toMatchObject({
        plans_name: 'nnsslPlans',
        transpose_forward: [2, 0, 1],
        configurations: { onemmiso: { resampling_fn_data_kwargs: { is_seg: false, order: 3, order_z: 0, force_separate_z: null }, spacing: [1, 1, 1] } },
      });
      expect(plansFromNnssl(JSON.parse(JSON.stringify(json)) as Record<string, unknown>, 'p.json')).toEqual(plans);
    });

    it('should keep only the trained configuration for an adaptation plan (nnssl saves no other)', () => {
      const json = pretrainPlanToNnssl(plans, 'median') as { configurations: Record<string, { spacing: number[] }>; transpose_forward: number[] };
      expect(Object.keys(json.configurations)).toEqual(['median']);
      expect(json.configurations['median']!.spacing).toEqual([4.5, 1, 1]);
      expect(json.transpose_forward).toEqual([2, 0, 1]);
      expect(() => pretrainPlanToNnssl(plans, '3d_fullres')).toThrow(/no configuration named "3d_fullres"/);
    });

    it('should name the known configurations for an unknown one', () => {
      expect(() => configurationOf(plans, 'onemiso')).toThrow(/no configuration named "onemiso". Did you mean 'onemmiso'\? Known: median, onemmiso, noresample/);
    });
  });

  describe('having equal median spacings', () => {
    it('should keep the axis order (argmax takes the first maximum)', () => {
      expect(planExperiment([[1, 1, 1]], 'x').transposeForward).toEqual([0, 1, 2]);
    });
  });
});

describe('transposeVolume', () => {
  it('should move input axis perm[i] to output axis i and be undone by the inverse order', () => {
    const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const t = transposeVolume(data, 1, [2, 3, 4], [2, 0, 1]);
    expect(t.shape).toEqual([4, 2, 3]);
    // out[k, i, j] = in[i, j, k]
    expect(t.data[(1 * 2 + 1) * 3 + 2]).toBe((1 * 3 + 2) * 4 + 1);
    const back = transposeVolume(t.data, 1, t.shape, invertAxisOrder([2, 0, 1]));
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });
});
