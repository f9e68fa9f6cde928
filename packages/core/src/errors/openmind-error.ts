/** The error every OpenMind package throws for bad input: the message says what was wrong and what to do. */
export class OpenMindError extends Error {
  override name = 'OpenMindError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
