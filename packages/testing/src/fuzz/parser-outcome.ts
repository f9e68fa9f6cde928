import { OpenMindError } from '@openmind-ssl/core';

/** What a parser did with one input: returned a value, or refused it with our error. */
export type ParserOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Bounds a parser must keep on every input. */
export interface ParserBounds {
  /** What an OpenMindError message must contain (usually the file name). */
  names: string;
  /** Wall-clock limit of one call. */
  timeLimitMs: number;
  /** Largest single Buffer allocation allowed (bytes), e.g. a multiple of the file size. */
  allocationLimit: number;
  /** Describes the input in a failure (the mutations that made it). */
  input: string;
}

/** Thrown when an invariant is broken; fast-check shrinks the input and reports it. */
export class ParserInvariantError extends Error {
  override name = 'ParserInvariantError';
}

type AllocFn = (size: number, ...rest: never[]) => Buffer;
const ALLOCATORS = ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const;

/**
 * Runs `parse` under the bounds: it must return, or throw an OpenMindError naming `names`; any other
 * throw (TypeError, RangeError, zlib's own errors…), a Buffer allocation over `allocationLimit` before
 * the parser has refused the input, or a call over `timeLimitMs` breaks the invariant.
 */
export async function parserOutcome<T>(parse: () => Promise<T> | T, bounds: ParserBounds): Promise<ParserOutcome<T>> {
  const originals = ALLOCATORS.map((k) => Buffer[k] as unknown as AllocFn);
  let oversized = 0;
  ALLOCATORS.forEach((k, i) => {
    const original = originals[i]!;
    (Buffer as unknown as Record<string, AllocFn>)[k] = ((size: number, ...rest: never[]) => {
      if (size > bounds.allocationLimit) {
        oversized = Math.max(oversized, size);
        throw new ParserInvariantError(`allocated ${size} bytes, over the limit of ${bounds.allocationLimit} (input: ${bounds.input})`);
      }
      return original.call(Buffer, size, ...rest);
    }) as AllocFn;
  });
  const started = performance.now();
  let outcome: ParserOutcome<T>;
  try {
    outcome = { ok: true, value: await parse() };
  } catch (err) {
    if (err instanceof ParserInvariantError) throw err;
    if (oversized) throw new ParserInvariantError(`allocated ${oversized} bytes, over the limit of ${bounds.allocationLimit} (input: ${bounds.input})`);
    if (!(err instanceof OpenMindError)) {
      const e = err as Error;
      throw new ParserInvariantError(`threw ${e?.name ?? typeof err} instead of an OpenMindError: ${e?.message ?? String(err)} (input: ${bounds.input})`);
    }
    if (!err.message.includes(bounds.names)) {
      throw new ParserInvariantError(`OpenMindError does not name ${JSON.stringify(bounds.names)}: ${err.message} (input: ${bounds.input})`);
    }
    outcome = { ok: false, message: err.message };
  } finally {
    ALLOCATORS.forEach((k, i) => ((Buffer as unknown as Record<string, AllocFn>)[k] = originals[i]!));
  }
  const ms = performance.now() - started;
  if (ms > bounds.timeLimitMs) throw new ParserInvariantError(`took ${ms.toFixed(0)} ms, over the limit of ${bounds.timeLimitMs} ms (input: ${bounds.input})`);
  return outcome;
}
