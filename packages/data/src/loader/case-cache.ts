import { CaseReader } from '../store/case-reader.js';

/**
 * Keeps the most recently used cases open (file handles and shard indexes), closing the least recently
 * used beyond `capacity`: random sampling over thousands of cases then costs one open per miss.
 */
export class CaseCache {
  private readonly open = new Map<string, CaseReader>();

  constructor(private readonly capacity: number) {}

  get(dir: string): CaseReader {
    let r = this.open.get(dir);
    if (r) {
      this.open.delete(dir);
      this.open.set(dir, r);
      return r;
    }
    r = CaseReader.open(dir);
    this.open.set(dir, r);
    if (this.open.size > this.capacity) {
      const [oldest, reader] = this.open.entries().next().value as [string, CaseReader];
      this.open.delete(oldest);
      reader.close();
    }
    return r;
  }

  closeAll(): void {
    for (const r of this.open.values()) r.close();
    this.open.clear();
  }
}
