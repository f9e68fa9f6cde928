/** A place training images come from (an OpenMind root, a BIDS folder, a preprocessed store). */
export interface DatasetSource {
  readonly id: string;
  /** Whether this source understands `location` (a path or URL). */
  accepts(location: string): Promise<boolean>;
}
