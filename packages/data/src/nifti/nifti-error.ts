import { OpenMindError } from '@openmind-ssl/core';

/**
 * Builds the error for a bad NIfTI file: it names the file, then says what must hold and what was found,
 * e.g. `NIfTI "a.nii.gz": magic must be "n+1" or "n+2", but got "xyz".`
 */
export function niftiError(file: string, problem: string, hint?: string, cause?: unknown): OpenMindError {
  const text = `NIfTI "${file}": ${problem}${problem.endsWith('.') ? '' : '.'}${hint ? `\nHint: ${hint}` : ''}`;
  return new OpenMindError(text, cause === undefined ? undefined : { cause });
}
