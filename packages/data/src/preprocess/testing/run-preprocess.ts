// Test driver: runs preprocessDataset in a child process so a test can SIGKILL it mid-run.
// Usage: node --conditions=@openmind-ssl/source --import tsx run-preprocess.ts <input> <out> <workers> <pauseMs>
// Prints one JSON progress line per event on stdout; pauses the main thread `pauseMs` after each case so
// the parent has time to kill it between (or during) cases.
import { preprocessDataset } from '../preprocess-dataset.js';

const [input, out, workers, pauseMs] = process.argv.slice(2);
const pause = new Int32Array(new SharedArrayBuffer(4));
await preprocessDataset({
  input: input!,
  out: out!,
  workers: Number(workers),
  onProgress: (p) => {
    process.stdout.write(`${JSON.stringify(p)}\n`);
    if (p.id) Atomics.wait(pause, 0, 0, Number(pauseMs));
  },
});
process.stdout.write('finished\n');
