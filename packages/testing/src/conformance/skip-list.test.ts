import { describe, expect, it } from 'vitest';
import { skipReason, skippableKeys, validateSkips } from './skip-list.js';

const IDS = ['conv3d/basic', 'conv3d/dilation2', 'unary/erf/odd-size', 'memory/upload-accounting'];

describe('skip list', () => {
  describe('validateSkips', () => {
    it('should accept exact ids and group prefixes that have a reason', () => {
      expect(validateSkips({ 'conv3d/dilation2': 'no dilation yet (#42)', unary: 'not written (#7)' }, IDS)).toEqual([]);
    });

    it('should report an unknown id with the nearest known one', () => {
      const problems = validateSkips({ 'conv3d/dilaton2': 'typo' }, IDS);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain("'conv3d/dilaton2'");
      expect(problems[0]).toContain("Did you mean 'conv3d/dilation2'?");
    });

    it('should report a skip without a reason', () => {
      expect(validateSkips({ conv3d: '  ' }, IDS)[0]).toContain('must have a reason');
    });

    it('should not accept a partial path segment as a group', () => {
      expect(skippableKeys(IDS).has('conv')).toBe(false);
      expect(validateSkips({ conv: 'x' }, IDS)).toHaveLength(1);
    });
  });

  describe('skipReason', () => {
    it('should take the reason of the longest matching key', () => {
      const skip = { unary: 'all unary', 'unary/erf': 'erf only' };
      expect(skipReason(skip, 'unary/erf/odd-size')).toBe('erf only');
      expect(skipReason(skip, 'unary/exp/odd-size')).toBe('all unary');
      expect(skipReason(skip, 'binary/add/int32')).toBeUndefined();
    });
  });
});
