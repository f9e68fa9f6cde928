import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPackages, lintTarball } from '../../scripts/lint-packages.mjs';
import { npmFreeEnv } from '../../scripts/publishable-packages.mjs';
import { runCommand } from './run-command.js';

describe('npm run lint:packages', () => {
  it('should find nothing for any package: publint (suggestions included) and attw on each packed tarball', async () => {
    expect(await lintPackages()).toEqual([]);
  }, 300_000);

  it('should report a types condition after import and an export of a file that is not in the tarball', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-lint-bad-'));
    try {
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'index.js'), 'export const a = 1;\n');
      writeFileSync(join(dir, 'dist', 'index.d.ts'), 'export declare const a: number;\n');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({
        name: 'broken-package', version: '1.0.0', type: 'module', files: ['dist'],
        exports: { '.': { import: './dist/index.js', types: './dist/index.d.ts' }, './missing': './dist/missing.js' },
      }));
      const r = await runCommand('npm', ['pack', '--silent', '--ignore-scripts'], dir, npmFreeEnv());
      expect(r.code, r.err).toBe(0);
      const findings = await lintTarball('broken-package', new Uint8Array(readFileSync(join(dir, r.out.trim()))));
      expect(findings).toEqual(expect.arrayContaining([
        expect.stringMatching(/publint error EXPORTS_TYPES_SHOULD_BE_FIRST/),
        expect.stringMatching(/publint error FILE_DOES_NOT_EXIST: pkg\.exports\["\.\/missing"\]/),
        expect.stringMatching(/attw NoResolution \(\.\/missing node16-esm\)/),
      ]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
