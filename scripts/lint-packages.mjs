#!/usr/bin/env node
// Packs every package (`npm pack`, from its built dist/) and lints each tarball with publint (every
// suggestion, warning and error counts) and with Are The Types Wrong (attw, the library behind
// `npx attw`). Prints one line per finding and exits 1 if there is any.
// Usage: npm run lint:packages   (builds first)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { assertBuilt, packAll, publishablePackages } from './publishable-packages.mjs';

// The packages are ESM-only by design (Node ≥ 20, `import`), so — as attw's `--profile esm-only` does —
// resolution as CommonJS `require` and as node10 (which knows no `exports`) is not checked; node16 from
// ESM and bundler resolution are.
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

/**
 * The findings of publint and attw on one tarball, as readable lines.
 * @param {string} name
 * @param {Uint8Array} tarball
 * @returns {Promise<string[]>}
 */
export async function lintTarball(name, tarball) {
  const findings = [];
  const buffer = new Uint8Array(tarball).buffer; // a copy, so an ArrayBuffer of exactly the tarball
  const { messages, pkg } = await publint({ level: 'suggestion', strict: true, pack: { tarball: buffer } });
  for (const m of messages) findings.push(`${name}: publint ${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false })}`);
  const analysis = await checkPackage(createPackageFromTarballData(tarball));
  if (!analysis.types) findings.push(`${name}: attw: the package ships no type declarations`);
  else {
    for (const p of analysis.problems) {
      if ('resolutionKind' in p && IGNORED_RESOLUTIONS.has(p.resolutionKind)) continue;
      /** @type {Record<string, unknown>} */
      const fields = { ...p };
      const where = [fields.entrypoint, fields.resolutionKind, fields.fileName].filter(Boolean).join(' ');
      findings.push(`${name}: attw ${p.kind}${where ? ` (${where})` : ''}`);
    }
  }
  return findings;
}

/**
 * Packs and lints every package; returns one line per finding (empty when all is well).
 * @returns {Promise<string[]>}
 */
export async function lintPackages() {
  const packages = publishablePackages();
  assertBuilt(packages);
  const dest = mkdtempSync(join(tmpdir(), 'om-lint-packages-'));
  try {
    const tarballs = packAll(packages, dest);
    const findings = [];
    for (const p of packages) {
      const tarball = tarballs.get(p.name);
      if (!tarball) throw new Error(`npm pack made no tarball for ${p.name}`);
      findings.push(...await lintTarball(p.name, new Uint8Array(readFileSync(tarball))));
    }
    return findings;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const findings = await lintPackages();
  for (const f of findings) console.error(f);
  console.log(findings.length === 0
    ? `lint:packages: ${publishablePackages().length} packages packed; publint and attw report nothing`
    : `lint:packages: ${findings.length} finding(s)`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}
