/**
 * A minimal Protocol Buffers encoder: just the wire types ONNX models need (varint, 32-bit float,
 * length-delimited). Nested messages are encoded into their own writer first and embedded as bytes,
 * which keeps the code simple; models here are small (no large initializers), so the extra copies
 * cost little. A training step's model has tens of thousands of strings and ints, so those take fast
 * paths (one shared TextEncoder, no BigInt for small non-negative ints).
 */
const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Writes an unsigned varint; negative int64 values are written as their 10-byte two's complement. */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    if (v < 0x80n) {
      this.buf[this.len++] = Number(v);
      return;
    }
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  private smallVarint(value: number): void {
    // Fast path for tags, lengths and small non-negative ints (the common case).
    this.reserve(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.buf[this.len++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wireType: number): void {
    this.smallVarint((field << 3) | wireType);
  }

  /** int32 / int64 / enum field (wire type 0). */
  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    if (typeof value === 'number' && value >= 0 && value < 2 ** 31) this.smallVarint(value);
    else this.varint(value);
    return this;
  }

  /** float field (wire type 5). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
    return this;
  }

  /** bytes / embedded message field (wire type 2). */
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.smallVarint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(field: number, value: string): this {
    // Names and op types are ASCII: their UTF-8 length is their length, so encode in place.
    if (/^[\x00-\x7f]*$/.test(value)) {
      this.tag(field, 2);
      this.smallVarint(value.length);
      this.reserve(value.length);
      for (let i = 0; i < value.length; i++) this.buf[this.len++] = value.charCodeAt(i);
      return this;
    }
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated int64 (wire type 2 holding varints). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = PACKED.reset();
    for (const v of values) {
      if (typeof v === 'number' && v >= 0 && v < 2 ** 31) inner.smallVarint(v);
      else inner.varint(v);
    }
    return this.bytes(field, inner.finish());
  }

  /** Empties the writer for reuse (the encoder keeps one per nesting level instead of one per message). */
  reset(): this {
    this.len = 0;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Scratch for packed fields: filled and copied out within one packedInts call. */
const PACKED = new ProtoWriter();
