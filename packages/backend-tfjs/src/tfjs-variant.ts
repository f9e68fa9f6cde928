import { OpenMindError } from '@openmind-ssl/core';
import * as tf from '@tensorflow/tfjs-core';

/** Which tfjs backend does the computing: native TensorFlow with CUDA, native TensorFlow on CPU, or pure JS. */
export type TfjsVariant = 'tfjs-node-gpu' | 'tfjs-node' | 'cpu';

/** The variants in the order `auto` tries them. */
export const TFJS_VARIANTS: readonly TfjsVariant[] = ['tfjs-node-gpu', 'tfjs-node', 'cpu'];

/** Why a variant could not start (kept so a caller can tell why it got the slow CPU backend). */
export interface VariantFailure {
  readonly variant: TfjsVariant;
  readonly reason: string;
}

// Each native package registers the tfjs backend 'tensorflow' on import; the pure-JS one registers 'cpu'.
const PACKAGE: Record<TfjsVariant, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  cpu: '@tensorflow/tfjs-backend-cpu',
};
const TF_BACKEND: Record<TfjsVariant, string> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  cpu: 'cpu',
};

async function activate(variant: TfjsVariant): Promise<void> {
  // A tfjs backend the app registered itself (a web page bundles @tensorflow/tfjs-backend-cpu, whose bare
  // name a browser cannot import at run time) is used as it is.
  if (!tf.findBackendFactory(TF_BACKEND[variant])) {
    const specifier = PACKAGE[variant];
    // A variable specifier keeps bundlers and tsc from resolving the optional native packages.
    await import(/* @vite-ignore */ specifier);
  }
  const ok = await tf.setBackend(TF_BACKEND[variant]);
  if (!ok) throw new Error(`tf.setBackend('${TF_BACKEND[variant]}') returned false`);
  if (variant === 'cpu') quietFirstWrite();
}

/**
 * The CPU backend prints an "install tfjs-node" banner on its first write. Our README says the same, so
 * the first write happens with tfjs warnings off (PROD), and the flag is put back at once.
 */
function quietFirstWrite(): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.scalar(0).dispose();
  } finally {
    env.set('PROD', prod);
  }
}

/**
 * Loads and selects a tfjs backend. `auto` tries tfjs-node-gpu, then tfjs-node, then the CPU backend,
 * and returns the failures it passed over; an explicit variant that cannot start throws.
 *
 * @throws OpenMindError when the requested variant (or, for `auto`, every variant) fails to start.
 */
export async function selectTfjsVariant(
  requested: TfjsVariant | 'auto',
): Promise<{ variant: TfjsVariant; skipped: VariantFailure[] }> {
  const candidates = requested === 'auto' ? TFJS_VARIANTS : [requested];
  const skipped: VariantFailure[] = [];
  for (const variant of candidates) {
    try {
      await activate(variant);
      return { variant, skipped };
    } catch (e) {
      skipped.push({ variant, reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
    }
  }
  const lines = skipped.map((f) => `  ${f.variant} (${PACKAGE[f.variant]}): ${f.reason}`).join('\n');
  throw new OpenMindError(
    `backend-tfjs: could not start tfjs variant "${requested}".\n${lines}\n`
      + 'Hint: install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, or use variant "cpu".',
  );
}
