import type { PytorchKeyMapping } from '@openmind-ssl/core';

// DNA modules register some layers twice, so PyTorch state dicts of a ResidualEncoderUNet hold the same
// tensor under several keys: ConvDropoutNormReLU keeps `conv`/`norm` and again `all_modules.0`/`all_modules.1`
// (a Sequential of the same layers), and UNetDecoder keeps a reference to the encoder (`decoder.encoder.*`).
// This package stores each tensor once under its canonical key; these helpers convert at the PyTorch boundary.

const CONV_NORM_KEY = /^(.*)\.(conv|norm)\.(weight|bias)$/;
const ALIAS_KEY = /^(.*)\.all_modules\.(\d+)\.(weight|bias)$/;

/**
 * The full PyTorch key set of a canonical state dict, in PyTorch's order: after each conv → norm unit its
 * `all_modules.0.*` (conv) and `all_modules.1.*` (norm) aliases, and before the first decoder key the whole
 * encoder again under `decoder.encoder.*`. Values are shared, not copied. The result loads into DNA's
 * ResidualEncoderUNet with `strict=True`.
 */
export function withTorchAliases<T>(canonical: ReadonlyMap<string, T>): Map<string, T> {
  const withUnitAliases: [string, T][] = [];
  let unit: string | undefined;
  let pending: [string, T][] = [];
  const flush = (): void => {
    withUnitAliases.push(...pending);
    pending = [];
  };
  for (const [key, value] of canonical) {
    const m = CONV_NORM_KEY.exec(key);
    if (!m || m[1] !== unit) flush();
    unit = m?.[1];
    withUnitAliases.push([key, value]);
    if (m) pending.push([`${m[1]}.all_modules.${m[2] === 'conv' ? 0 : 1}.${m[3]}`, value]);
  }
  flush();
  const encoder = withUnitAliases.filter(([k]) => k.startsWith('encoder.'));
  const out = new Map<string, T>();
  let decoderSeen = false;
  for (const [key, value] of withUnitAliases) {
    if (!decoderSeen && key.startsWith('decoder.')) {
      decoderSeen = true;
      for (const [k, v] of encoder) out.set(`decoder.${k}`, v);
    }
    out.set(key, value);
  }
  return out;
}

/** Whether a PyTorch key is one of DNA's duplicate aliases. */
export function isTorchAliasKey(key: string): boolean {
  return key.startsWith('decoder.encoder.') || ALIAS_KEY.test(key);
}

/**
 * A canonical state dict from a PyTorch one (nnssl `network_weights`): alias keys are dropped when their
 * canonical key is present and renamed to it otherwise (`…all_modules.0.*` → `…conv.*`,
 * `…all_modules.1.*` → `…norm.*`, `decoder.encoder.*` → `encoder.*`). Other keys pass unchanged, so a
 * strict load still reports anything unexpected.
 */
export function withoutTorchAliases<T>(torch: ReadonlyMap<string, T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of torch) if (!isTorchAliasKey(key)) out.set(key, value);
  for (const [key, value] of torch) {
    if (!isTorchAliasKey(key)) continue;
    let k = key.startsWith('decoder.encoder.') ? key.slice('decoder.'.length) : key;
    const m = ALIAS_KEY.exec(k);
    if (m && (m[2] === '0' || m[2] === '1')) k = `${m[1]}.${m[2] === '0' ? 'conv' : 'norm'}.${m[3]}`;
    if (!out.has(k)) out.set(k, value);
  }
  return out;
}

/**
 * Core's PytorchKeyMapping for dynamic-network-architectures' ResidualEncoderUNet (nnssl's ResEncL): the
 * `…all_modules.0/1.*` and `decoder.encoder.*` aliases above. The ResEnc factory offers it as `pytorchKeys`.
 */
export const resencPytorchKeys: PytorchKeyMapping = {
  name: 'resenc',
  toTorch: (canonical) => withTorchAliases(canonical),
  // withoutTorchAliases renames a lone alias to its canonical key; one key at a time gives the mapping.
  canonicalKey: (k) => (isTorchAliasKey(k) ? [...withoutTorchAliases(new Map([[k, 0]])).keys()][0]! : k),
  isAlias: (k) => isTorchAliasKey(k),
};
