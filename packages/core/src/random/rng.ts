/**
 * A seedable, splittable pseudo-random generator (xoshiro128**, seeded through splitmix32). Values are
 * drawn on the host, so the same seed gives the same numbers on every backend. Its state is four 32-bit
 * words, saved with checkpoints so a resumed run draws what an uninterrupted run would have.
 */
export class Rng {
  private s: Uint32Array;

  /** @param seed a number, or a tuple such as [seed, step] (hashed into the state; see {@link Rng.fromState}) */
  constructor(seed: number | readonly number[] = 0) {
    if (typeof seed === 'number') {
      let x = seed >>> 0;
      const next = () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
      };
      this.s = Uint32Array.of(next(), next(), next(), next());
    } else {
      this.s = seedState(seed);
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
  }

  /**
   * A generator continuing from a saved `state()` (four words, used as they are). Only for states that
   * came from a generator: a hand-written tuple such as [seed, step] is a poorly mixed xoshiro state whose
   * first dozens of draws sit near 0 — seed with `new Rng([seed, step])` instead.
   */
  static fromState(state: readonly number[]): Rng {
    const r = new Rng(0);
    r.s = Uint32Array.from(state.slice(0, 4));
    if (r.s.every((v) => v === 0)) r.s[0] = 1;
    return r;
  }

  /** The generator's state, for checkpoints. */
  state(): number[] {
    return [...this.s];
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [low, high). */
  int(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** Normal(mean, std) by Box–Muller; one value per pair is used so the state stays four words. */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Normal(mean, std) redrawn until it falls in [a, b] (PyTorch trunc_normal_ bounds are absolute). */
  truncatedNormal(mean: number, std: number, a: number, b: number): number {
    for (;;) {
      const v = this.normal(mean, std);
      if (v >= a && v <= b) return v;
    }
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Fills an array with uniform values in [low, high). */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** Fills an array with normal values. */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** An independent generator derived from this one (advances this one by four draws). */
  fork(): Rng {
    return Rng.fromState([this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()]);
  }
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Four state words from a seed tuple ([seed, step, …]): each word hashes every element with its own lane
 * constant, so tuples that differ in any element give unrelated, well-mixed states.
 */
function seedState(words: readonly number[]): Uint32Array {
  const s = new Uint32Array(4);
  for (let lane = 0; lane < 4; lane++) {
    let h = fmix32(Math.imul(lane + 1, 0x9e3779b9) >>> 0);
    for (const w of words) h = fmix32((h ^ (w >>> 0)) + 0x7f4a7c15);
    s[lane] = fmix32(h + words.length);
  }
  return s;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
