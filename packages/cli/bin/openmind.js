#!/usr/bin/env node
// The `openmind` command. It is a plain file rather than the built dist/bin/openmind.js itself because npm
// links a package's bins when it installs it: in a fresh clone that is before the root `prepare` script has
// built dist/, and npm leaves out a bin whose file does not exist yet (so `npx openmind` would then look for
// a package of that name on the registry).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin/openmind.js', import.meta.url);
if (!existsSync(built)) {
  console.error("openmind: the command is not built yet (no dist/); run 'npm run build' in the repository");
  process.exit(1);
}
await import(built.href);
