/**
 * Merges options over defaults, skipping keys whose value is undefined (so `{ p: undefined }` keeps the
 * default instead of erasing it).
 */
export function withDefaults<D extends object>(defaults: D, options: object): D {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as D;
}
