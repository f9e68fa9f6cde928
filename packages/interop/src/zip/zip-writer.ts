import { crc32 } from './crc32.js';

/** Where written bytes go (e.g. the append function of core's writeStreamAtomic). */
export type Append = (chunk: Uint8Array) => Promise<void>;

interface Written {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
}

const enc = new TextEncoder();
// Data is aligned like torch's writer does (64 bytes), so readers that map the file can use it in place.
const ALIGN = 64;

/**
 * Writes a zip archive of stored (uncompressed) entries, streaming each entry as it is added: the layout
 * PyTorch's own writer produces. Switches to zip64 records when an offset or size needs 64 bits (or
 * always, with `forceZip64`, which tests use).
 */
export class ZipWriter {
  private offset = 0;
  private readonly written: Written[] = [];

  constructor(private readonly append: Append, private readonly options: { forceZip64?: boolean } = {}) {}

  /** Adds one stored entry. */
  async add(name: string, data: Uint8Array): Promise<void> {
    const nameBytes = enc.encode(name);
    const zip64 = this.options.forceZip64 === true || data.length >= 0xffffffff || this.offset >= 0xffffffff;
    const z64Len = zip64 ? 20 : 0;
    const base = this.offset + 30 + nameBytes.length + z64Len + 4;
    const pad = (ALIGN - (base % ALIGN)) % ALIGN;
    const header = new Uint8Array(30 + nameBytes.length + z64Len + 4 + pad);
    const v = new DataView(header.buffer);
    const crc = crc32(data);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, zip64 ? 45 : 20, true);
    v.setUint16(8, 0, true); // stored
    v.setUint32(14, crc, true);
    v.setUint32(18, zip64 ? 0xffffffff : data.length, true);
    v.setUint32(22, zip64 ? 0xffffffff : data.length, true);
    v.setUint16(26, nameBytes.length, true);
    v.setUint16(28, z64Len + 4 + pad, true);
    header.set(nameBytes, 30);
    let q = 30 + nameBytes.length;
    if (zip64) {
      v.setUint16(q, 0x0001, true);
      v.setUint16(q + 2, 16, true);
      v.setBigUint64(q + 4, BigInt(data.length), true);
      v.setBigUint64(q + 12, BigInt(data.length), true);
      q += 20;
    }
    v.setUint16(q, 0x4246, true); // 'FB' padding field, the id torch uses
    v.setUint16(q + 2, pad, true);
    this.written.push({ name: nameBytes, crc, size: data.length, offset: this.offset });
    await this.append(header);
    await this.append(data);
    this.offset += header.length + data.length;
  }

  /** Writes the central directory and end records. */
  async finish(): Promise<void> {
    const cdStart = this.offset;
    const parts: Uint8Array[] = [];
    let anyZip64 = this.options.forceZip64 === true;
    for (const w of this.written) {
      const zip64 = this.options.forceZip64 === true || w.size >= 0xffffffff || w.offset >= 0xffffffff;
      anyZip64 ||= zip64;
      const z64Len = zip64 ? 28 : 0;
      const rec = new Uint8Array(46 + w.name.length + z64Len);
      const v = new DataView(rec.buffer);
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, zip64 ? 45 : 20, true);
      v.setUint16(6, zip64 ? 45 : 20, true);
      v.setUint32(16, w.crc, true);
      v.setUint32(20, zip64 ? 0xffffffff : w.size, true);
      v.setUint32(24, zip64 ? 0xffffffff : w.size, true);
      v.setUint16(28, w.name.length, true);
      v.setUint16(30, z64Len, true);
      v.setUint32(42, zip64 ? 0xffffffff : w.offset, true);
      rec.set(w.name, 46);
      if (zip64) {
        const q = 46 + w.name.length;
        v.setUint16(q, 0x0001, true);
        v.setUint16(q + 2, 24, true);
        v.setBigUint64(q + 4, BigInt(w.size), true);
        v.setBigUint64(q + 12, BigInt(w.size), true);
        v.setBigUint64(q + 20, BigInt(w.offset), true);
      }
      parts.push(rec);
    }
    const cdSize = parts.reduce((s, p) => s + p.length, 0);
    for (const p of parts) await this.append(p);
    const cdEnd = cdStart + cdSize;
    anyZip64 ||= cdEnd >= 0xffffffff || this.written.length >= 0xffff;
    if (anyZip64) {
      const rec = new Uint8Array(56 + 20);
      const v = new DataView(rec.buffer);
      v.setUint32(0, 0x06064b50, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, 45, true);
      v.setUint16(14, 45, true);
      v.setBigUint64(24, BigInt(this.written.length), true);
      v.setBigUint64(32, BigInt(this.written.length), true);
      v.setBigUint64(40, BigInt(cdSize), true);
      v.setBigUint64(48, BigInt(cdStart), true);
      v.setUint32(56, 0x07064b50, true);
      v.setBigUint64(64, BigInt(cdEnd), true);
      v.setUint32(72, 1, true);
      await this.append(rec);
    }
    const eocd = new Uint8Array(22);
    const v = new DataView(eocd.buffer);
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, anyZip64 ? 0xffff : this.written.length, true);
    v.setUint16(10, anyZip64 ? 0xffff : this.written.length, true);
    v.setUint32(12, anyZip64 ? 0xffffffff : cdSize, true);
    v.setUint32(16, anyZip64 ? 0xffffffff : cdStart, true);
    await this.append(eocd);
  }
}
