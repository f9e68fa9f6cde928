// Claims and releases a folder's run lock as fast as it can until killed (run-lock.test.ts kills it at
// random moments). Prints "ready" once it has begun.
import { acquireRunLock } from '@openmind-ssl/core';

const dir = process.argv[2]!;
acquireRunLock(dir).release();
process.stdout.write('ready\n');
for (;;) acquireRunLock(dir).release();
