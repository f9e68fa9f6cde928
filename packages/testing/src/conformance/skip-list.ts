import { didYouMean } from '@openmind-ssl/core';

/**
 * Every key a `skip` map may use: each test id and each of its `/`-separated prefixes, so `'conv3d'`
 * skips every conv3d case and `'unary/erf'` every erf case.
 */
export function skippableKeys(testIds: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const id of testIds) {
    const parts = id.split('/');
    for (let i = 1; i <= parts.length; i++) keys.add(parts.slice(0, i).join('/'));
  }
  return keys;
}

/** Problems with a skip map: unknown keys (with the nearest known one) and empty reasons. */
export function validateSkips(skip: Readonly<Record<string, string>>, testIds: readonly string[]): string[] {
  const known = skippableKeys(testIds);
  const problems: string[] = [];
  for (const [key, reason] of Object.entries(skip)) {
    if (!known.has(key)) problems.push(`skip: no conformance test or group is named '${key}'.${didYouMean(key, [...known])}`);
    if (typeof reason !== 'string' || reason.trim() === '') {
      problems.push(`skip: '${key}' must have a reason (why, and the issue that tracks it), but got ${JSON.stringify(reason)}.`);
    }
  }
  return problems;
}

/** The reason `id` is skipped, from the longest matching key, or undefined when it runs. */
export function skipReason(skip: Readonly<Record<string, string>>, id: string): string | undefined {
  const parts = id.split('/');
  for (let i = parts.length; i >= 1; i--) {
    const reason = skip[parts.slice(0, i).join('/')];
    if (reason !== undefined) return reason;
  }
  return undefined;
}
