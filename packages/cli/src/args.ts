import { parseArgs } from 'node:util';
import { didYouMean, OpenMindError } from '@openmind-ssl/core';

/** One command-line option: its type, default and the help line. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  help: string;
  short?: string;
  multiple?: boolean;
  /** Shown in help; the command applies defaults itself (some depend on the machine). */
  defaultText?: string;
  /** Placeholder in help (e.g. '<dir>'). */
  value?: string;
}

/** A subcommand: usage, description and options; `run` gets the parsed values and positionals. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  description?: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Hand the raw arguments to `run` as positionals (the command parses them itself). */
  passThrough?: boolean;
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
}

/** Renders `openmind <command> --help`. */
export function commandHelp(c: Command): string {
  const lines = [`usage: openmind ${c.usage}`, '', c.summary];
  if (c.description) lines.push('', c.description);
  const entries = Object.entries({ ...c.options, help: { type: 'boolean', help: 'show this help', short: 'h' } as OptionSpec });
  if (entries.length) {
    lines.push('', 'options:');
    const rows = entries.map(([name, o]) => [
      `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`,
      `${o.help}${o.defaultText ? ` (default: ${o.defaultText})` : ''}${o.multiple ? ' (repeatable)' : ''}`,
    ]);
    const width = Math.max(...rows.map(([a]) => a!.length)) + 2;
    for (const [a, b] of rows) lines.push(`  ${a!.padEnd(width)}${b}`);
  }
  if (c.examples?.length) lines.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Parses a subcommand's arguments strictly.
 * @throws OpenMindError naming the unknown option (with the closest known one) or the missing value.
 */
export function parseCommandArgs(c: Command, argv: string[]): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...c.options, help: { type: 'boolean', help: '', short: 'h' } as OptionSpec }).map(([k, o]) => [
      k,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '--?([^']+)'/.exec(msg)?.[1];
    const hint = unknown ? didYouMean(unknown, Object.keys(c.options)) : '';
    throw new OpenMindError(`openmind ${c.name}: ${msg.split('\n')[0]}.${hint} See 'openmind ${c.name} --help'.`);
  }
}

/** A positive integer option, or the default. */
export function intOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new OpenMindError(`--${name}: expected a non-negative integer, got '${String(v)}'`);
  return n;
}

/** '64' or '64,64,32' → [d, h, w]. */
export function tripleOption(values: Record<string, unknown>, name: string, fallback: [number, number, number]): [number, number, number] {
  const v = values[name];
  if (v === undefined) return fallback;
  const parts = String(v).split(/[,x]/).map(Number);
  const t = parts.length === 1 ? [parts[0]!, parts[0]!, parts[0]!] : parts;
  if (t.length !== 3 || t.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new OpenMindError(`--${name}: expected one size or three sizes like 64,64,32, got '${String(v)}'`);
  }
  return t as [number, number, number];
}
