import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { PythonRandom } from './python-random.js';

const py = { ok: requirePython(['random']) };

describe('PythonRandom', () => {
  it('should give the first MT19937 outputs of Python seed 12345 (pinned)', () => {
    // Pinned from /usr/bin/python3: r = random.Random(12345); [r.getrandbits(32) for _ in range(3)]
    const r = new PythonRandom(12345);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([1789368711, 3146859322, 43676229]);
  });

  it('should refuse a sample larger than the population', () => {
    expect(() => new PythonRandom(1).sample([1, 2, 3], 4)).toThrow(RangeError);
  });

  describe.skipIf(!py.ok)('having the system Python', () => {
    it.each([
      [12345, 10, 5],
      [12345, 21, 7],
      [12345, 500, 5],
      [12345, 2600, 26],
      [0, 40, 12],
      [2 ** 40 + 7, 100, 30],
      [987654321, 100000, 1000],
    ])('should equal random.Random(%d).sample(range(%d), %d) and the draws after it', (seed, n, k) => {
      const code = `import random, json\nr = random.Random(${seed})\ns = r.sample(list(range(${n})), ${k})\nprint(json.dumps({"s": s, "f": r.random(), "b": r.getrandbits(17)}))`;
      const ref = JSON.parse(runPython(['-c', code])) as { s: number[]; f: number; b: number };
      const r = new PythonRandom(seed);
      const pop = Array.from({ length: n }, (_, i) => i);
      expect(r.sample(pop, k)).toEqual(ref.s);
      expect(r.random()).toBe(ref.f);
      expect(r.getrandbits(17)).toBe(ref.b);
    });

    it('should shuffle as random.shuffle does', () => {
      const ref = JSON.parse(runPython(['-c', 'import random, json\nx = list(range(50))\nrandom.Random(7).shuffle(x)\nprint(json.dumps(x))'])) as number[];
      expect(new PythonRandom(7).shuffle(Array.from({ length: 50 }, (_, i) => i))).toEqual(ref);
    });
  });
});
