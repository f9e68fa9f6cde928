const N = 624;
const M = 397;

/**
 * numpy's legacy `np.random.RandomState(seed)` for the draws nnU-Net and scikit-learn make with it:
 * MT19937 seeded with `init_genrand` (an integer seed, as numpy's `_legacy_seeding`), `random_interval`
 * (masked rejection sampling), and the Fisher–Yates `shuffle` / `permutation` / `choice(replace=False)` built
 * on it. Same seed, same numbers as numpy.
 */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** @param seed an integer in [0, 2³² − 1]. @throws RangeError otherwise. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`NumpyRandomState: seed must be an integer in [0, 2**32 - 1], but got ${seed}.`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = (mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] (numpy `random_interval`); max < 2³². */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError(`NumpyRandomState: interval bound must be below 2**32, but got ${max}.`);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Shuffles in place as `RandomState.shuffle` on a 1-D array: for i from n−1 down to 1, swap i with random_interval(i). */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i >= 1; i--) {
      const j = this.randomInterval(i);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }

  /** `RandomState.permutation(n)`. */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** `RandomState.choice(n, k, replace=False)`: the first k entries of a permutation of n. */
  choiceWithoutReplacement(n: number, k: number): Uint32Array {
    if (!(k <= n)) throw new RangeError(`NumpyRandomState: cannot take ${k} samples without replacement from ${n}.`);
    return this.permutation(n).subarray(0, k);
  }
}
