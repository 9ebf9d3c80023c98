/**
 * Random numbers as PyTorch 1.13's CPU generator and CPython's `random` module make them, so that
 * `torch.manual_seed(0); torch.randn(3)` and `random.seed(0); random.random()` give the values students see.
 * Both are MT19937; they differ in seeding and in how draws become numbers.
 */

class MT19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  seedUint32(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
  }

  /** CPython's init_by_array. */
  seedArray(key: readonly number[]): void {
    this.seedUint32(19650218);
    const mt = this.mt;
    let i = 1;
    let j = 0;
    const n = 624;
    for (let k = Math.max(n, key.length); k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= n) {
        mt[0] = mt[n - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = n - 1; k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= n) {
        mt[0] = mt[n - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = 624;
  }

  next(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % 624] as number) & 0x7fffffff);
        mt[k] = ((mt[(k + 397) % 624] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      this.index = 0;
    }
    let y = mt[this.index++] as number;
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

const TWO_POW_24 = 2 ** 24;
const TWO_POW_53 = 2 ** 53;

/** PyTorch's CPU generator (CPUGeneratorImpl over at::mt19937). */
export class TorchGenerator {
  private readonly engine = new MT19937();
  private nextNormal: number | undefined;

  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number | bigint): void {
    this.engine.seedUint32(Number(BigInt.asUintN(32, BigInt(seed))));
    this.nextNormal = undefined;
  }

  private random(): number {
    return this.engine.next();
  }

  /** random64(): two 32-bit draws, the first is the high word. */
  private random64(): bigint {
    const hi = BigInt(this.random());
    const lo = BigInt(this.random());
    return (hi << 32n) | lo;
  }

  /** uniform_real_distribution<float>: 24 bits of one draw. */
  uniformFloat(from = 0, to = 1): number {
    const x = (this.random() & 0xffffff) / TWO_POW_24;
    // from/to are floats and (to - from) is a float subtraction; the rest is done in double.
    const f = Math.fround(from);
    return Math.fround(x * Math.fround(Math.fround(to) - f) + f);
  }

  /** uniform_real_distribution<double>: 53 bits of random64(). */
  uniformDouble(from = 0, to = 1): number {
    const x = Number(this.random64() & BigInt(TWO_POW_53 - 1)) / TWO_POW_53;
    return x * (to - from) + from;
  }

  /** normal_distribution<double> with its cached second sample. */
  normalDouble(mean: number, std: number): number {
    if (this.nextNormal !== undefined) {
      const r = this.nextNormal;
      this.nextNormal = undefined;
      return r * std + mean;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.nextNormal = r * Math.sin(theta);
    return r * Math.cos(theta) * std + mean;
  }

  /** torch.rand / Tensor.uniform_ for float32 (double: uniformDouble). */
  fillUniform(out: Float32Array | Float64Array, from = 0, to = 1): void {
    const double = out instanceof Float64Array;
    for (let i = 0; i < out.length; i++) out[i] = double ? this.uniformDouble(from, to) : this.uniformFloat(from, to);
  }

  /** torch.randn / Tensor.normal_: the 16-wide Box–Muller fill for ≥16 elements, else the serial sampler. */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    const n = out.length;
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.normalDouble(mean, std);
      return;
    }
    const double = out instanceof Float64Array;
    const u = double ? () => this.uniformDouble() : () => this.uniformFloat();
    const f = double ? (x: number) => x : Math.fround;
    for (let i = 0; i < n; i++) out[i] = u();
    const fill16 = (base: number): void => {
      for (let j = 0; j < 8; j++) {
        const u1 = f(1 - (out[base + j] as number));
        const u2 = out[base + j + 8] as number;
        const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
        const theta = f(2 * Math.PI * u2);
        out[base + j] = f(f(radius * f(Math.cos(theta))) * std + mean);
        out[base + j + 8] = f(f(radius * f(Math.sin(theta))) * std + mean);
      }
    };
    for (let i = 0; i + 16 <= n; i += 16) fill16(i);
    if (n % 16 !== 0) {
      const base = n - 16;
      for (let i = 0; i < 16; i++) out[base + i] = u();
      fill16(base);
    }
  }

  /** torch.randint(low, high): (draw % range) + low. */
  fillInt(out: BigInt64Array, low: bigint, high: bigint): void {
    const range = high - low;
    for (let i = 0; i < out.length; i++) {
      const v = range >= 1n << 32n ? BigInt.asUintN(64, this.random64()) : BigInt(this.random());
      out[i] = (v % range) + low;
    }
  }

  /** randperm's shuffle (at::randperm_cpu): swaps with a draw modulo the elements left. */
  permutation(n: number): number[] {
    const r = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n - 1; i++) {
      const z = this.random() % (n - i);
      [r[i], r[z + i]] = [r[z + i] as number, r[i] as number];
    }
    return r;
  }

  /** bernoulli_distribution<float>(p): torch.bernoulli of a float32 tensor of probabilities. */
  bernoulliFloat(p: number): boolean {
    return this.uniformFloat() < p;
  }

  /** bernoulli_distribution<double>(p) */
  bernoulli(p: number): boolean {
    return this.uniformDouble() < p;
  }
}

/** CPython's `random.Random`. */
export class PythonRandom {
  private readonly engine = new MT19937();

  constructor(seed: bigint = BigInt(Date.now())) {
    this.seed(seed);
  }

  seed(a: bigint): void {
    let x = a < 0n ? -a : a;
    const key: number[] = [];
    while (x > 0n) {
      key.push(Number(x & 0xffffffffn));
      x >>= 32n;
    }
    if (!key.length) key.push(0);
    this.engine.seedArray(key);
  }

  random(): number {
    const a = this.engine.next() >>> 5;
    const b = this.engine.next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  private getrandbits(k: number): number {
    return this.engine.next() >>> (32 - k);
  }

  /** _randbelow_with_getrandbits, for n < 2^32. */
  randbelow(n: number): number {
    if (n <= 0) return 0;
    const k = Math.floor(Math.log2(n)) + 1;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }
}
