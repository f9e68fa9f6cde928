import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pythonMissing, requirePython } from './python.js';
import { REQUIRE_REFERENCES_ENV, requireReference } from './require-reference.js';

const saved = { flag: process.env[REQUIRE_REFERENCES_ENV], python: process.env['OPENMIND_PYTHON'] };
afterEach(() => {
  for (const [k, v] of [[REQUIRE_REFERENCES_ENV, saved.flag], ['OPENMIND_PYTHON', saved.python]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  vi.restoreAllMocks();
});

/** A real Python interpreter started with -S (no site-packages), so it has no torch: a machine without python3-torch. */
function pythonWithoutSitePackages(): string {
  const base = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const file = join(mkdtempSync(join(tmpdir(), 'om-nopy-')), 'python3');
  writeFileSync(file, `#!/bin/sh\nexec ${base} -S "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('requireReference', () => {
  it('should run the tests when the reference is there, flag or not', () => {
    process.env[REQUIRE_REFERENCES_ENV] = '1';
    expect(requireReference('PyTorch', undefined)).toBe(true);
  });

  it('should skip with one line on a contributor machine (no flag)', () => {
    delete process.env[REQUIRE_REFERENCES_ENV];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireReference('a WebGPU adapter', 'no adapter found')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe('skipping tests that need a WebGPU adapter: no adapter found');
  });

  it('should fail, naming the reference, under OPENMIND_REQUIRE_REFERENCES=1', () => {
    process.env[REQUIRE_REFERENCES_ENV] = '1';
    expect(() => requireReference('a WebGPU adapter', 'no adapter found'))
      .toThrow(/a WebGPU adapter is required \(OPENMIND_REQUIRE_REFERENCES=1\) but missing: no adapter found/);
  });

  it('should treat OPENMIND_REQUIRE_REFERENCES=0 as unset', () => {
    process.env[REQUIRE_REFERENCES_ENV] = '0';
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireReference('nibabel', 'not installed')).toBe(false);
  });
});

describe('requirePython', () => {
  it('should fail naming torch under the flag when the Python it is pointed at has no torch', () => {
    process.env['OPENMIND_PYTHON'] = pythonWithoutSitePackages();
    process.env[REQUIRE_REFERENCES_ENV] = '1';
    expect(pythonMissing(['torch'])).toMatch(/cannot import torch \(ModuleNotFoundError: No module named 'torch'\)/);
    expect(() => requirePython(['torch'])).toThrow(/Python with torch is required \(OPENMIND_REQUIRE_REFERENCES=1\) but missing: .*cannot import torch/);
  });

  it('should skip the same tests without the flag', () => {
    process.env['OPENMIND_PYTHON'] = pythonWithoutSitePackages();
    delete process.env[REQUIRE_REFERENCES_ENV];
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requirePython(['torch'])).toBe(false);
  });

  it('should name an interpreter that does not exist', () => {
    process.env['OPENMIND_PYTHON'] = '/nonexistent/python3';
    expect(pythonMissing(['nibabel'])).toBe('/nonexistent/python3 not found (cannot import nibabel)');
  });
});
