export type { CliIo } from './cli-io.js';
export { DATA_COMMANDS, DATA_USAGE, runDataCli } from './data-cli.js';
export { INDEX_USAGE, runIndex } from './index-command.js';
export { INFO_USAGE, runInfo } from './info-command.js';
export { SYNTH_USAGE, runSynth } from './synth-command.js';
