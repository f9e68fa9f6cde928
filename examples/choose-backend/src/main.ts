// Lists the compute backends that can start on this machine (and why the others cannot), picks one
// from the first argument or OPENMIND_BACKEND (else the highest priority), trains the same small
// U-Net on it for a few steps and prints the throughput.
//
//   npm start -w openmind-example-choose-backend -- [backend] [steps]
import { probeBackends, selectBackend } from '@openmind-ssl/core';
import { backendProviders } from './backends.js';
import { trainOn } from './train-on.js';

const [name, stepsArg] = process.argv.slice(2);
const providers = backendProviders();
const probe = await probeBackends(providers);
console.log('backends available here:');
for (const b of probe.available) console.log(`  ${b.name} (priority ${b.priority})`);
for (const f of probe.failures) console.log(`  ${f.name}: unavailable — ${f.reason}`);

const backend = await selectBackend(providers, name || undefined);
console.log(`\ntraining on '${backend.name}'${name ? '' : process.env.OPENMIND_BACKEND ? ' (OPENMIND_BACKEND)' : ' (highest priority)'}`);
const report = await trainOn(backend, Number(stepsArg ?? 10));
console.log(`loss ${report.losses[0]!.toFixed(4)} → ${report.losses.at(-1)!.toFixed(4)} in ${report.losses.length} steps, ${report.stepsPerSecond.toFixed(2)} steps/s`);
await backend.close();
