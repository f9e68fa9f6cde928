import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTemporaries } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';

describe('removeStaleTemporaries', () => {
  it('should remove the temporaries of writers that no longer run, and keep live writers\' and every other file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-stale-'));
    const dead = spawnSync('true').pid!; // exited: its pid runs nothing of ours now
    const live = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, `.case_002.bin.${dead}.33d17de9.tmp`), 'half a case');
      mkdirSync(join(dir, `checkpoint_latest.tmp-${dead}`));
      writeFileSync(join(dir, `.plan.json.${live.pid}.0badf00d.tmp`), 'being written');
      writeFileSync(join(dir, `.plan.json.${process.pid}.0badf00d.tmp`), 'ours');
      writeFileSync(join(dir, '.hidden'), 'x');
      writeFileSync(join(dir, 'case_002.bin'), 'a case');
      mkdirSync(join(dir, 'nested'));
      writeFileSync(join(dir, 'nested', `.deep.${dead}.33d17de9.tmp`), 'not this folder');
      const removed = await removeStaleTemporaries(dir);
      expect(removed.sort()).toEqual([`.case_002.bin.${dead}.33d17de9.tmp`, `checkpoint_latest.tmp-${dead}`]);
      expect(readdirSync(dir).sort()).toEqual([`.hidden`, `.plan.json.${live.pid}.0badf00d.tmp`, `.plan.json.${process.pid}.0badf00d.tmp`, 'case_002.bin', 'nested'].sort());
      expect(await removeStaleTemporaries(join(dir, 'missing'))).toEqual([]);
    } finally {
      live.kill();
    }
  });
});
