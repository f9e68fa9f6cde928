import { debugRequested, explainError, OpenMindError } from '@openmind-ssl/core';
import { type Command, commandHelp, parseCommandArgs } from './args.js';
import { backendsCommand } from './commands/backends.js';
import { benchmarkCommand } from './commands/benchmark.js';
import { pluginsCommand } from './commands/plugins.js';
import { convertCommand } from './commands/convert.js';
import { dataCommand } from './commands/data.js';
import { demoCommand } from './commands/demo.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { finetuneCommand } from './commands/finetune.js';
import { predictCommand } from './commands/predict.js';
import { preprocessCommand } from './commands/preprocess.js';
import { pretrainCommand } from './commands/pretrain.js';

/** Every subcommand of `openmind`, in the order `--help` lists them. */
export const COMMANDS: Command[] = [
  demoCommand, pretrainCommand, finetuneCommand, predictCommand, evaluateCommand, exportCommand, preprocessCommand, dataCommand, convertCommand, benchmarkCommand,
  backendsCommand, pluginsCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'usage: openmind <command> [options]',
    '',
    'Self-supervised pre-training of 3D medical-image networks (OpenMind / nnssl in TypeScript).',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'openmind <command> --help' for a command's options.",
    'Errors are one line (exit 2: an option or file to fix; exit 1: the run failed); --verbose, anywhere, adds the stack trace.',
    'Environment: OPENMIND_BACKEND picks the compute backend when --backend is not given; OPENMIND_DEBUG=1 is --verbose.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI on `argv` (without node and script); returns the exit code. Errors are printed as one line,
 * not thrown: exit 2 for input to fix (an option, a file), 1 for a failed run; `--verbose` (anywhere before
 * `--`) or OPENMIND_DEBUG=1 adds the stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  const end = argv.indexOf('--');
  const verbose = argv.some((a, i) => a === '--verbose' && (end < 0 || i < end));
  // Subcommands (and the data commands, which print their own errors) learn of it through the environment.
  if (verbose) process.env['OPENMIND_DEBUG'] = '1';
  const [name, ...rest] = argv.filter((a, i) => a !== '--verbose' || (end >= 0 && i > end));
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? 0 : 1;
  }
  if (name === '--version') {
    process.stdout.write('openmind 1.0.0\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) {
      throw new OpenMindError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}. See 'openmind --help'.`);
    }
    if (command.passThrough) return await command.run({}, rest);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(values, positionals);
  } catch (e) {
    const explained = explainError(e);
    process.stderr.write(`openmind: ${explained.message}\n`);
    if (debugRequested() && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return explained.exitCode;
  }
}
