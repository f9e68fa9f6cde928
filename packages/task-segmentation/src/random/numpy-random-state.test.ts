import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState } from './numpy-random-state.js';

const hasNumpy = requirePython(['numpy']);

describe('NumpyRandomState', () => {
  describe('having committed numpy outputs', () => {
    it('should equal RandomState(seed).permutation and choice(replace=False)', () => {
      // numpy 1.x/2.x legacy RandomState, values printed once by /usr/bin/python3.
      expect(Array.from(new NumpyRandomState(12345).permutation(10))).toEqual([0, 7, 3, 9, 6, 4, 1, 8, 5, 2]);
      expect(Array.from(new NumpyRandomState(1234).choiceWithoutReplacement(100, 7))).toEqual([40, 35, 81, 61, 98, 68, 85]);
      expect(Array.from(new NumpyRandomState(0).permutation(70000).subarray(0, 5))).toEqual([10840, 56267, 14849, 62726, 47180]);
    });

    it('should refuse seeds numpy refuses', () => {
      expect(() => new NumpyRandomState(-1)).toThrow(RangeError);
      expect(() => new NumpyRandomState(2 ** 32)).toThrow(/seed must be an integer in \[0, 2\*\*32 - 1\]/);
    });
  });

  describe.skipIf(!hasNumpy)('having numpy at hand', () => {
    it('should equal numpy for many seeds and sizes, including sizes over 2^16', () => {
      const cases: [number, number][] = [[0, 1], [1, 2], [7, 5], [12345, 37], [4294967295, 300], [99, 70001]];
      const script = `import json,sys,numpy as np\nout=[np.random.RandomState(s).permutation(n).tolist() for s,n in json.loads(sys.stdin.read())]\nprint(json.dumps(out))`;
      const expected = JSON.parse(runPython(['-c', script], JSON.stringify(cases))) as number[][];
      cases.forEach(([seed, n], i) => expect(Array.from(new NumpyRandomState(seed).permutation(n))).toEqual(expected[i]));
    });
  });
});
