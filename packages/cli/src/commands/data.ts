import { runDataCli } from '@openmind-ssl/data';
import type { Command } from '../args.js';

/** `openmind data …` mounts the data package's commands (info, index, synth) with their own options. */
export const dataCommand: Command = {
  name: 'data',
  summary: 'NIfTI and dataset tools: info <file>, index <root>, synth --out <dir>.',
  usage: 'data <info|index|synth> [options]',
  options: {},
  passThrough: true,
  run: async (_values, positionals) => runDataCli(positionals),
};
