import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { OpenMindError } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { unpickle } from '../pickle/safe-unpickler.js';
import { fixturePath } from '../test-support/fixtures.js';
import { crc32 } from '../zip/crc32.js';
import { ZipWriter } from '../zip/zip-writer.js';
import { readPth } from './read-pth.js';
import { encodePthBytes } from './write-pth.js';

// Inputs the .pth fuzz test (read-pth.fuzz.test.ts) found, kept as fixed cases. Each was either thrown
// as a non-OpenMindError or read where torch.load refuses the file.
const enc = new TextEncoder();

async function zipOf(entries: [string, Uint8Array][]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const zip = new ZipWriter(async (c) => void chunks.push(Uint8Array.from(c)));
  for (const [name, data] of entries) await zip.add(name, data);
  await zip.finish();
  return Uint8Array.from(chunks.flatMap((c) => [...c]));
}

const checkpoint = () => encodePthBytes(new Map([['w', { dtype: 'float32', shape: [2], data: new Uint8Array(8) }]]) as never);

/** Byte offsets of every central-directory record (signature PK\1\2). */
function centralRecords(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 1 && b[i + 3] === 2) out.push(i);
  return out;
}

async function refusal(bytes: Uint8Array): Promise<string> {
  const err = await readPth(bytes).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenMindError);
  expect((err as Error).message).toContain('<memory>');
  return (err as Error).message;
}

function unpickleError(bytes: number[]): string {
  try {
    unpickle(Uint8Array.from(bytes), { source: 'p.pkl' });
  } catch (err) {
    expect(err).toBeInstanceOf(OpenMindError);
    return (err as Error).message;
  }
  throw new Error('unpickle should have failed');
}

describe('readPth regressions', () => {
  it('refuses a text INT that is not a number (was a SyntaxError from BigInt)', () => {
    expect(unpickleError([0x49, ...enc.encode('ntStorage\n'), 0x2e])).toMatch(/INT argument must be a decimal integer, but got "ntStorage"/);
  });

  it('refuses a \\U escape past U+10FFFF (was a RangeError from String.fromCodePoint)', () => {
    expect(unpickleError([0x56, ...enc.encode('\\Uffffffff\n'), 0x2e])).toMatch(/\\Uffffffff is not a Unicode code point/);
  });

  it('refuses a string that is not UTF-8, as Python does (was read with replacement characters)', () => {
    expect(unpickleError([0x8c, 3, 0x61, 0xf4, 0x62, 0x2e])).toMatch(/not valid UTF-8/);
  });

  it('refuses an archive without a version record, or with a damaged one', async () => {
    const pkl = Uint8Array.from([0x80, 2, 0x4e, 0x2e]);
    expect(await refusal(await zipOf([['a/data.pkl', pkl]]))).toMatch(/without 'a\/version'/);
    expect(await refusal(await zipOf([['a/data.pkl', pkl], ['a/version', enc.encode('x\n')]]))).toMatch(/must hold a format version number/);
  });

  it('refuses a record outside the archive folder (flip bit 1 of byte 1203: archite/byteorder)', async () => {
    const pkl = Uint8Array.from([0x80, 2, 0x4e, 0x2e]);
    expect(await refusal(await zipOf([['a/data.pkl', pkl], ['a/version', enc.encode('3\n')], ['b/byteorder', enc.encode('little')]]))).toMatch(/'b\/byteorder' is not/);
  });

  it('refuses strong encryption (flag bit 6) and an entry on another disk', async () => {
    const strong = await checkpoint();
    strong[centralRecords(strong)[0]! + 8]! |= 0x40;
    expect(await refusal(strong)).toMatch(/encrypted or patched \(flags 0x40\)/);
    const disk = await checkpoint();
    disk[centralRecords(disk)[1]! + 34] = 1;
    expect(await refusal(disk)).toMatch(/starts on disk 1 of a multi-disk archive/);
  });

  it('does not inflate a deflate entry past its declared size (zip bomb)', async () => {
    const big = new Uint8Array(50 << 20);
    const bytes = await zipOf([['a/data.pkl', Uint8Array.from([0x80, 2, 0x4e, 0x2e])], ['a/version', enc.encode('3\n')]]);
    // Replace data.pkl's stored bytes by a deflate stream of 50 MB of zeros while the directory says 4 bytes.
    const deflated = deflateRawSync(big);
    const cd = centralRecords(bytes)[0]!;
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(cd + 24, true)).toBe(4);
    const local = view.getUint32(cd + 42, true);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const rebuilt = new Uint8Array(bytes.length - 4 + deflated.length);
    rebuilt.set(bytes.subarray(0, dataStart));
    rebuilt.set(deflated, dataStart);
    rebuilt.set(bytes.subarray(dataStart + 4), dataStart + deflated.length);
    const shift = deflated.length - 4;
    const rv = new DataView(rebuilt.buffer);
    for (const rec of centralRecords(rebuilt)) {
      rv.setUint16(rec + 10, 8, true); // method: deflate (both records, harmless for version)
      if (rv.getUint32(rec + 42, true) > local) rv.setUint32(rec + 42, rv.getUint32(rec + 42, true) + shift, true);
    }
    const first = centralRecords(rebuilt)[0]!;
    rv.setUint32(first + 20, deflated.length, true);
    rv.setUint32(first + 16, crc32(Uint8Array.from([0x80, 2, 0x4e, 0x2e])), true);
    const eocd = rebuilt.length - 22;
    rv.setUint32(eocd + 16, rv.getUint32(eocd + 16, true) + shift, true);
    expect(await refusal(rebuilt)).toMatch(/does not inflate/);
  });

  it('refuses SETITEMS with an odd number of items, as torch does (long fuzz run, seed 5: zoo-legacy.pth, flip bit 3 of byte 134)', () => {
    // EMPTY_DICT MARK 'k' SETITEMS STOP: a key without its value.
    expect(unpickleError([0x7d, 0x28, 0x8c, 1, 0x6b, 0x75, 0x2e])).toMatch(/SETITEMS with an odd number of items \(1\)/);
  });

  it('refuses a record marked as a folder, which torch reads as empty (long fuzz run, seed 5: writer, overwrite 1 byte at 1493)', async () => {
    const bytes = Uint8Array.from(await checkpoint());
    const version = centralRecords(bytes).at(-1)!;
    bytes[version + 38] = 0x10; // external attributes: the DOS directory bit
    expect(await refusal(bytes)).toMatch(/zip entry 'archive\/version' is marked as a folder/);
  });

  it('refuses _rebuild_tensor_v2 with other than 6 or 7 arguments, as torch does (long fuzz run, seed 7: zoo-legacy.pth, overwrite 6 bytes at 308)', () => {
    const call = [0x63, ...enc.encode('torch._utils\n_rebuild_tensor_v2\n'), 0x28, ...Array.from({ length: 10 }, () => [0x4b, 0]).flat(), 0x74, 0x52, 0x2e];
    expect(unpickleError(call)).toMatch(/_rebuild_tensor_v2 takes 6 or 7 arguments, but got 10/);
  });

  it('refuses an integer tensor that requires gradients, as torch does (long fuzz run, seed 1: zoo-legacy.pth, flip bit 0 of byte 1260)', async () => {
    const bytes = Uint8Array.from(readFileSync(fixturePath('zoo-legacy.pth')));
    expect(bytes[1260]).toBe(0x89); // NEWFALSE: requires_grad of an int8 tensor
    bytes[1260] = 0x88; // NEWTRUE
    expect(await refusal(bytes)).toMatch(/a int8 tensor cannot require gradients/);
  });

  it('refuses a zip64 end-of-central-directory record whose size field is below 44, as torch does (long fuzz run, seed 12: zoo.pth, flip bit 5 of byte 5206)', async () => {
    const bytes = Uint8Array.from(readFileSync(fixturePath('zoo.pth')));
    const record = Buffer.from(bytes).lastIndexOf(Buffer.from([0x50, 0x4b, 6, 6]));
    expect(bytes[record + 4]).toBe(44);
    bytes[record + 4] = 12;
    expect(await refusal(bytes)).toMatch(/corrupt zip64 end-of-central-directory record \(it declares 12 bytes, fewer than the 44 it holds\)/);
  });
});
