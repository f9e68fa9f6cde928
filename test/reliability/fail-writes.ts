// Fault injection at the file-system layer, loaded with `node --import` into a job under test. With
// OPENMIND_FAIL_WRITES='{"code":"ENOSPC","match":"step-00000006","afterBytes":100}', every file opened for
// writing whose path contains `match` fails with that errno once `afterBytes` bytes have been written to it
// (EACCES: the open itself fails). Patching the fs/promises object and syncing the ESM bindings reaches
// every `import { open } from 'node:fs/promises'` made after this module ran.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

interface Fault { code: 'ENOSPC' | 'EACCES' | 'EIO'; match: string; afterBytes?: number }
const fault = JSON.parse(process.env.OPENMIND_FAIL_WRITES ?? 'null') as Fault | null;

function errno(code: Fault['code'], syscall: string, path: string): NodeJS.ErrnoException {
  const messages = { ENOSPC: 'no space left on device', EACCES: 'permission denied', EIO: 'i/o error' };
  return Object.assign(new Error(`${code}: ${messages[code]}, ${syscall} '${path}'`), { code, syscall, path });
}

if (fault) {
  const open = fs.promises.open;
  fs.promises.open = async function openWithFault(path, flags, mode) {
    const name = String(path);
    const writing = typeof flags === 'string' && /[wa+]/.test(flags);
    if (!writing || !name.includes(fault.match)) return open(path, flags, mode);
    if (fault.code === 'EACCES') throw errno('EACCES', 'open', name);
    const handle = await open(path, flags, mode);
    let written = 0;
    const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<{ bytesWritten: number }>;
    (handle as unknown as { write: unknown }).write = async (...args: unknown[]) => {
      if (written >= (fault.afterBytes ?? 0)) throw errno(fault.code, 'write', name);
      const r = await write(...args);
      written += r.bytesWritten;
      return r;
    };
    return handle;
  } as typeof fs.promises.open;
  syncBuiltinESMExports();
}
