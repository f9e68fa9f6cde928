/**
 * A value a data worker builds for itself: functions cannot cross a thread boundary, so a worker imports
 * `module` and takes the export `exportName` — calling it with `args` when it is a factory, constructing
 * it when it is a class, using it as is when it is already the object wanted. The loader resolves
 * relative paths against the current directory before handing the spec to its workers.
 * @example { module: '@openmind-ssl/augment', exportName: 'maeSpatialPipeline', args: [[160, 160, 160]] }
 */
export interface WorkerModuleSpec {
  /** Package name, absolute path, `file:` URL, or a path relative to the current directory. */
  module: string;
  /** Export to use; default 'default'. */
  exportName?: string;
  /** Arguments of the factory or constructor (structured-cloneable). Ignored for a ready object. */
  args?: unknown[];
}
