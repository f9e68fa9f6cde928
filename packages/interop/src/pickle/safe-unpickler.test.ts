import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../test-support/fixtures.js';
import { PickleWriter } from './pickle-writer.js';
import { PyDict, PySet, PyTuple, type PyValue } from './py-value.js';
import { unpickle } from './safe-unpickler.js';

const enc = new TextEncoder();
const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p)));
const binunicode = (s: string): number[] => {
  const b = [...enc.encode(s)];
  return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b];
};
const load = (b: Uint8Array): PyValue => unpickle(b, { source: 'test.pkl' }).value;
const refusal = (b: Uint8Array): string => {
  try {
    load(b);
  } catch (e) {
    expect(e).toBeInstanceOf(OpenMindError);
    return (e as Error).message;
  }
  throw new Error('expected the pickle to be refused');
};

describe('unpickle', () => {
  describe('having pickles written by CPython with protocols 0 to 5', () => {
    const { protocols } = fixtureJson<{ protocols: Record<string, string> }>('pickles.json');
    for (const [proto, b64] of Object.entries(protocols)) {
      it(`should read every value of protocol ${proto}`, () => {
        const v = load(new Uint8Array(Buffer.from(b64, 'base64'))) as PyDict;
        expect(v.get('int')).toBe(1);
        expect(v.get('neg')).toBe(-70000);
        expect(v.get('big')).toBe(2n ** 100n);
        expect(v.get('negbig')).toBe(-(2n ** 65n));
        expect(v.get('float')).toBe(1.5);
        expect(v.get('tiny')).toBe(1e-300);
        expect(v.get('str')).toBe('h\u00e9llo \u2713');
        expect(v.get('bytes')).toEqual(Uint8Array.from([0, 1, 255]));
        expect(v.get('list')).toEqual([1, [2, 3]]);
        expect((v.get('tuple') as PyTuple).items).toEqual([1, 2, 3, 4]);
        expect(v.get('none')).toBeNull();
        expect(v.get('bool')).toEqual([true, false]);
        expect((v.get('set') as PySet).items.sort()).toEqual([1, 2]);
        expect((v.get('frozenset') as PySet).frozen).toBe(true);
        const od = v.get('od') as PyDict;
        expect(od.ordered).toBe(true);
        expect([...od.keys()]).toEqual(['b', 'a']);
        expect([...(v.get('int_keys') as PyDict)]).toEqual([[1, 'x'], [2, 'y']]);
        const [a, b] = v.get('shared') as PyValue[][];
        expect(a).toBe(b); // memo: one list object referenced twice, as in Python
      });
    }
  });

  describe('having a value written by PickleWriter', () => {
    it('should read back the same data (round trip)', () => {
      const value = new PyDict([
        ['ints', [0, 255, 256, 65535, 65536, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, 2n ** 80n]],
        ['floats', [0.5, -1e-30, 1e300, Infinity]],
        ['t', new PyTuple(['a', new PyTuple([]), new PyTuple([1, 2, 3, 4, 5])])],
        ['od', new PyDict([['z', null], ['a', true]], true)],
        ['keys', new PyDict([[3, 'x'], ['3', 'y']])],
        ['bytes', Uint8Array.from([0, 200, 255])],
      ] as [string, PyValue][]);
      const back = load(PickleWriter.dump(value)) as PyDict;
      expect(back.get('ints')).toEqual([0, 255, 256, 65535, 65536, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, 2n ** 80n]);
      expect(back.get('floats')).toEqual([0.5, -1e-30, 1e300, Infinity]);
      expect(((back.get('t') as PyTuple).items[2] as PyTuple).items).toEqual([1, 2, 3, 4, 5]);
      expect((back.get('od') as PyDict).ordered).toBe(true);
      expect([...(back.get('keys') as PyDict)]).toEqual([[3, 'x'], ['3', 'y']]);
      expect(back.get('bytes')).toEqual(Uint8Array.from([0, 200, 255]));
    });
  });

  describe('having a hostile pickle', () => {
    it('should refuse os.system by name and file, before anything runs', () => {
      const marker = join(mkdtempSync(join(tmpdir(), 'om-pickle-')), 'pwned');
      const evil = bytes([0x80, 2], 'cos\nsystem\n', binunicode(`touch ${marker}`), [0x85, 0x52, 0x2e]);
      const msg = refusal(evil);
      expect(msg).toContain("'os.system'");
      expect(msg).toContain('test.pkl');
      expect(msg).toContain('Nothing was executed');
      expect(existsSync(marker)).toBe(false);
    });

    it('should refuse builtins.eval reached through STACK_GLOBAL (protocol 4)', () => {
      const short = (s: string): number[] => [0x8c, s.length, ...enc.encode(s)];
      const evil = bytes([0x80, 4], short('builtins'), short('eval'), [0x93], short('1+1'), [0x85, 0x52, 0x2e]);
      expect(refusal(evil)).toContain("'builtins.eval'");
    });

    it('should refuse subprocess.Popen, posix.system and the INST opcode', () => {
      expect(refusal(bytes([0x80, 2], 'csubprocess\nPopen\n', [0x29, 0x52, 0x2e]))).toContain("'subprocess.Popen'");
      expect(refusal(bytes([0x80, 2], 'cposix\nsystem\n', [0x29, 0x52, 0x2e]))).toContain("'posix.system'");
      expect(refusal(bytes([0x28], binunicode('id'), 'ios\nsystem\n', [0x2e]))).toContain("'os.system' (opcode INST)");
    });

    it('should refuse calling an allowed class that is only data (a storage type)', () => {
      expect(refusal(bytes([0x80, 2], 'ctorch\nFloatStorage\n', [0x29, 0x52, 0x2e]))).toContain("calls 'torch.FloatStorage'");
    });

    it('should refuse a persistent id when no storages are available', () => {
      expect(refusal(bytes([0x80, 2], binunicode('x'), [0x51, 0x2e]))).toContain('persistent id');
    });
  });

  describe('having a broken pickle', () => {
    it('should report truncation and unknown opcodes instead of reading garbage', () => {
      expect(refusal(bytes([0x80, 2, 0x58, 10, 0, 0, 0], 'abc'))).toContain('truncated pickle');
      expect(refusal(bytes([0x80, 2, 0xff]))).toContain('unknown pickle opcode 0xff');
      expect(refusal(bytes([0x80, 2, 0x4e]))).toContain('truncated pickle');
    });
  });
});
