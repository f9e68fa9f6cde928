/**
 * What a PyTorch reference ran on (bench/torch_build.py prints it as `torch_build` with every timing), and
 * the rule that a benchmark compares only against the PyTorch a user would run: an optimized BLAS and the
 * same thread count as ours. Debian installs python3-torch with the reference BLAS (libblas3) unless
 * libopenblas0-pthread is present, and that BLAS is about 4× slower at matrix products.
 */
export interface TorchBuild {
  torch: string;
  /** Which library runs torch's sgemm: 'openblas' | 'mkl' | 'blis' | 'reference' | 'unknown'. */
  blas: string;
  blas_library: string | null;
  /** oneDNN (MKL-DNN) version torch's convolutions run on; null when torch has none. */
  onednn: string | null;
  threads: number;
}

const OPTIMIZED_BLAS = new Set(['openblas', 'mkl', 'blis']);

/** Every `torch_build` object anywhere in a result, with the JSON path where it was found. */
export function torchBuilds(value: unknown, path = '$'): { path: string; build: TorchBuild }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => torchBuilds(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'torch_build'
    ? [{ path: `${path}.${k}`, build: v as TorchBuild }]
    : torchBuilds(v, `${path}.${k}`)));
}

/**
 * Why a PyTorch reference is not a fair baseline (an unoptimized or unidentified BLAS, or another thread
 * count than ours), or undefined when it is.
 */
export function unfairReason(build: TorchBuild | undefined, threads?: number): string | undefined {
  if (!OPTIMIZED_BLAS.has(build?.blas ?? '')) {
    return `PyTorch ran on the ${build?.blas ?? 'unknown'} BLAS (${build?.blas_library ?? 'library not found'}), ` +
      'not an optimized one; install libopenblas0-pthread (bash bench/install-reference.sh) and run the benchmark again';
  }
  if (threads !== undefined && build!.threads !== threads) {
    return `PyTorch ran on ${build!.threads} thread(s), ours on ${threads}; a comparison needs the same count`;
  }
  return undefined;
}

/**
 * Refuses a result in which any PyTorch reference ran on an unoptimized BLAS or on another thread count.
 * @param threads the thread count our side ran with; omitted where a result mixes counts on purpose.
 * @throws Error naming the result, the row and what to install.
 */
export function assertFairReference(name: string, result: unknown, options: { threads?: number; requireTorch?: boolean } = {}): void {
  const builds = torchBuilds(result);
  if (options.requireTorch && builds.length === 0) {
    throw new Error(`bench/results/${name}.json: no row records its PyTorch build (torch_build); the reference script must print build_info() from bench/torch_build.py`);
  }
  for (const { path, build } of builds) {
    const why = unfairReason(build, options.threads);
    if (why) throw new Error(`bench/results/${name}.json: ${path} says ${why}`);
  }
}
