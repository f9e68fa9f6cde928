import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';
import { runIndex } from './index-command.js';
import { runInfo } from './info-command.js';
import { runSynth } from './synth-command.js';

export const DATA_USAGE = `usage: openmind-data <command> [options]

commands:
  info <file>          describe a NIfTI volume (shape, dtype, spacing, affine, orientation, min/max/mean)
  index <root>         build nnssl's pretrain_data.json from an OpenMind root or a NIfTI folder
  synth --out DIR      write a synthetic OpenMind-format dataset and an nnU-Net lesion dataset

Run "openmind-data <command> --help" for a command's options.`;

/** The data commands by name, for a host CLI (`openmind data <command>`) to mount. */
export const DATA_COMMANDS: Readonly<Record<string, (argv: readonly string[], io?: CliIo) => Promise<number>>> = {
  info: runInfo,
  index: runIndex,
  synth: runSynth,
};

/**
 * Runs `openmind-data <command> ...`.
 * @param argv the arguments after the program name
 * @returns the exit status
 */
export async function runDataCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(DATA_USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = DATA_COMMANDS[command];
  if (!run) {
    io.err(`Unknown command "${command}". Commands: ${Object.keys(DATA_COMMANDS).join(', ')}.\n\n${DATA_USAGE}`);
    return 2;
  }
  return run(rest, io);
}
