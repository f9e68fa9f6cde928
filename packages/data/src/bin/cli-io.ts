import { parseArgs } from 'node:util';
import { debugRequested, explainError } from '@openmind-ssl/core';

/** Where a command writes; the default is the process's stdout and stderr. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

/** A usage mistake: printed with the command's usage, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parsed options (string or boolean by their declared type) and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Declares each option as taking a value ('string') or not ('boolean'). */
export type OptionSpec = Record<string, 'string' | 'boolean'>;

/** parseArgs with strict checking (plus -h/--help), turning its errors into UsageErrors. */
export function parseCommandArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, type] of Object.entries(spec)) options[name] = { type };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A string option's value, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Whether a boolean option was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A number option: parsed, checked, or the default when absent. */
export function numberOption(value: unknown, name: string, fallback: number | undefined, check: (n: number) => boolean = Number.isFinite): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !check(n)) throw new UsageError(`--${name} must be a valid number here, but got "${String(value)}".`);
  return n;
}

/**
 * Runs a command body with the exit-status convention of the CLI: 0 success; 2 a usage mistake (printed
 * with the usage text) or bad input (an OpenMindError, a missing or wrong-kind path: one line naming it);
 * 1 a failed run (one line saying what to do). OPENMIND_DEBUG=1 (`openmind --verbose`) adds the stack.
 */
export async function runCommand(io: CliIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${usage}`);
      return 2;
    }
    const explained = explainError(err);
    io.err(explained.message);
    if (debugRequested() && err instanceof Error && err.stack) io.err(err.stack);
    return explained.exitCode;
  }
}
