import { inflateRawSync } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import type { ByteSource } from './byte-source.js';
import { crc32 } from './crc32.js';

/** One file of a zip archive, from its central-directory record. */
export interface ZipEntry {
  name: string;
  /** 0 = stored (what torch writes), 8 = deflate. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Marked as a folder: a name ending in '/', or the DOS directory attribute (0x10) in the external attributes. */
  directory: boolean;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

/**
 * Reads zip archives (PyTorch's checkpoint container) from a random-access source: the central
 * directory first (zip64 included), then single entries on demand. Every offset and size is checked
 * against the file before use, so a truncated archive fails with a clear message instead of reading
 * garbage; entries are CRC-checked.
 */
export class ZipReader {
  private constructor(
    readonly source: ByteSource,
    readonly entries: ReadonlyMap<string, ZipEntry>,
    /** Where the central directory starts: every entry's data must end before it. */
    private readonly centralOffset: number,
  ) {}

  /** @throws OpenMindError naming the file when it is not a complete zip archive. */
  static async open(source: ByteSource): Promise<ZipReader> {
    const name = source.name;
    const fail = (m: string): never => {
      throw new OpenMindError(`${name}: ${m}`);
    };
    const tailLength = Math.min(source.size, 22 + MAX_COMMENT + 20);
    const tailStart = source.size - tailLength;
    const tail = await source.read(tailStart, tailLength);
    const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === EOCD && i + 22 + tv.getUint16(i + 20, true) === tail.length) {
        at = i;
        break;
      }
    }
    if (at < 0) fail('not a complete zip archive: no end-of-central-directory record (the file is truncated or corrupt).');
    // A spanned (multi-disk) archive is what torch's reader refuses too; here it can only mean corruption.
    if (tv.getUint16(at + 4, true) !== 0 || tv.getUint16(at + 6, true) !== 0 || tv.getUint16(at + 8, true) !== tv.getUint16(at + 10, true)) {
      fail('the end-of-central-directory record describes a multi-disk archive (the file is corrupt).');
    }
    let count = tv.getUint16(at + 10, true);
    let cdSize = tv.getUint32(at + 12, true);
    let cdOffset = tv.getUint32(at + 16, true);
    let cdLimit = tailStart + at;
    if (at >= 20 && tv.getUint32(at - 20, true) === ZIP64_LOCATOR) {
      const z64 = Number(tv.getBigUint64(at - 12, true));
      if (z64 + 56 > cdLimit) fail('corrupt zip64 locator (points past the end of the archive).');
      const rec = await source.read(z64, 56);
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      if (rv.getUint32(0, true) !== ZIP64_EOCD) fail('corrupt zip64 end-of-central-directory record.');
      // Its size field counts the 44 bytes after it at least; torch's reader (miniz) checks it too.
      if (rv.getBigUint64(4, true) < 44n) fail(`corrupt zip64 end-of-central-directory record (it declares ${rv.getBigUint64(4, true)} bytes, fewer than the 44 it holds).`);
      const spanned = tv.getUint32(at - 4, true) !== 1 || rv.getUint32(16, true) !== 0 || rv.getUint32(20, true) !== 0 || rv.getBigUint64(24, true) !== rv.getBigUint64(32, true);
      if (spanned) fail('the zip64 end-of-central-directory record describes a multi-disk archive (the file is corrupt).');
      count = Number(rv.getBigUint64(32, true));
      cdSize = Number(rv.getBigUint64(40, true));
      cdOffset = Number(rv.getBigUint64(48, true));
      cdLimit = z64;
    }
    if (cdOffset + cdSize > cdLimit) fail(`corrupt zip central directory (${cdSize} bytes at ${cdOffset} overrun the archive end at ${cdLimit}).`);
    const cd = await source.read(cdOffset, cdSize);
    const cv = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    // fatal: torch decodes record names as UTF-8 and refuses an archive whose names are not.
    const dec = new TextDecoder('utf-8', { fatal: true });
    const nameAt = (from: number, length: number, i: number): string => {
      try {
        return dec.decode(cd.subarray(from, from + length));
      } catch {
        return fail(`corrupt zip central directory (the name of entry ${i} is not valid UTF-8).`);
      }
    };
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cv.getUint32(p, true) !== CENTRAL) fail(`corrupt zip central directory (entry ${i} of ${count}).`);
      const flags = cv.getUint16(p + 8, true);
      const nameLen = cv.getUint16(p + 28, true);
      const extraLen = cv.getUint16(p + 30, true);
      const commentLen = cv.getUint16(p + 32, true);
      if (p + 46 + nameLen + extraLen + commentLen > cd.length) fail(`corrupt zip central directory (entry ${i} of ${count}).`);
      const entry: ZipEntry = {
        name: nameAt(p + 46, nameLen, i),
        method: cv.getUint16(p + 10, true),
        crc: cv.getUint32(p + 16, true),
        compressedSize: cv.getUint32(p + 20, true),
        size: cv.getUint32(p + 24, true),
        localHeaderOffset: cv.getUint32(p + 42, true),
        directory: false,
      };
      entry.directory = entry.name.endsWith('/') || (cv.getUint32(p + 38, true) & 0x10) !== 0;
      // Bit 0 encrypted, 5 patched data, 6 strong encryption, 13 masked directory: none is readable here.
      if (flags & (0x1 | 0x20 | 0x40 | 0x2000)) fail(`zip entry '${entry.name}' is encrypted or patched (flags 0x${flags.toString(16)}), which is not supported.`);
      if (cv.getUint16(p + 34, true) !== 0) fail(`zip entry '${entry.name}' starts on disk ${cv.getUint16(p + 34, true)} of a multi-disk archive (the file is corrupt).`);
      applyZip64Extra(entry, cv, p + 46 + nameLen, extraLen);
      entries.set(entry.name, entry);
      p += 46 + nameLen + extraLen + commentLen;
    }
    return new ZipReader(source, entries, cdOffset);
  }

  /**
   * The uncompressed bytes of one entry, CRC-checked.
   * @throws OpenMindError when the entry is missing, truncated, corrupt or uses an unknown compression.
   */
  async read(name: string): Promise<Uint8Array> {
    const src = this.source.name;
    const e = this.entries.get(name);
    if (!e) throw new OpenMindError(`${src}: the zip archive has no entry '${name}'.`);
    // torch's zip reader (miniz) takes such an entry for a folder and reads nothing from it.
    if (e.directory) throw new OpenMindError(`${src}: zip entry '${name}' is marked as a folder (its name or its DOS directory attribute), so it holds no data (corrupt archive).`);
    if (e.localHeaderOffset + 30 > this.centralOffset) throw new OpenMindError(`${src}: zip entry '${name}' starts past the data area (corrupt archive).`);
    const header = await this.source.read(e.localHeaderOffset, 30);
    const hv = new DataView(header.buffer, header.byteOffset, 30);
    if (hv.getUint32(0, true) !== LOCAL) throw new OpenMindError(`${src}: zip entry '${name}' has no local header (corrupt archive).`);
    const dataStart = e.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
    if (dataStart + e.compressedSize > this.centralOffset) {
      throw new OpenMindError(`${src}: zip entry '${name}' (${e.compressedSize} bytes at ${dataStart}) runs past the data area (truncated or corrupt archive).`);
    }
    const stored = await this.source.read(dataStart, e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) data = stored;
    else if (e.method === 8) {
      try {
        // Deflate inflates at most 1032-fold, and never past the declared size: no zip bomb is inflated.
        if (e.size > stored.length * 1032 + 1024) throw new Error('declared size exceeds what deflate can produce');
        data = new Uint8Array(inflateRawSync(stored, { maxOutputLength: Math.max(1, e.size) }));
      } catch {
        throw new OpenMindError(`${src}: zip entry '${name}' does not inflate (corrupt archive).`);
      }
    } else throw new OpenMindError(`${src}: zip entry '${name}' uses compression method ${e.method}; only stored (0) and deflate (8) are supported.`);
    if (data.length !== e.size) throw new OpenMindError(`${src}: zip entry '${name}' has ${data.length} bytes, its directory says ${e.size} (corrupt archive).`);
    if (crc32(data) !== e.crc) throw new OpenMindError(`${src}: zip entry '${name}' fails its CRC-32 check (corrupt archive).`);
    return data;
  }
}

// zip64 extra field (id 0x0001): the 64-bit values of whichever 32-bit fields are saturated, in order.
function applyZip64Extra(e: ZipEntry, v: DataView, start: number, length: number): void {
  let q = start;
  while (q + 4 <= start + length) {
    const id = v.getUint16(q, true);
    const size = v.getUint16(q + 2, true);
    if (id === 0x0001) {
      let r = q + 4;
      const next = (): number => {
        const x = Number(v.getBigUint64(r, true));
        r += 8;
        return x;
      };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressedSize === 0xffffffff) e.compressedSize = next();
      if (e.localHeaderOffset === 0xffffffff) e.localHeaderOffset = next();
    }
    q += 4 + size;
  }
}
