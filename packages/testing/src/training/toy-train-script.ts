// Runs a toy training in its own process (for the kill-and-resume test):
//   node --conditions=@openmind-ssl/source --import tsx toy-train-script.ts <runDir> <epochs> <resume 0|1> [delayMs]
import { setBackend, Trainer } from '@openmind-ssl/core';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { ToyDenoisingMethod, toyBatches } from './toy-method.js';

const [runDir, epochs, resume, delayMs] = process.argv.slice(2);
setBackend(new ReferenceBackend());
const trainer = new Trainer({
  method: new ToyDenoisingMethod(1),
  train: toyBatches(5),
  epochs: Number(epochs),
  iterationsPerEpoch: 4,
  runDir: runDir!,
  seed: 11,
  checkpointEvery: 2,
  onEvent: (e) => {
    if (e.type === 'step' && delayMs) {
      const until = Date.now() + Number(delayMs);
      while (Date.now() < until);
    }
  },
});
await trainer.run({ resume: resume === '1' });
