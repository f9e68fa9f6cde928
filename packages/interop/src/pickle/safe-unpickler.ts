import { OpenMindError } from '@openmind-ssl/core';
import { AllowedCallable, applyBuild, asKey, describe, resolveGlobal } from './allowed-globals.js';
import { decodeLong, pyInt } from './py-int.js';
import { PyDict, PyGlobal, PySet, PyTuple, type PyValue } from './py-value.js';

/** Options of `unpickle`. */
export interface UnpickleOptions {
  /** Names the file in every error message. */
  source: string;
  /** Byte offset of the pickle in `bytes` (legacy .pth files hold several pickles back to back). */
  start?: number;
  /** Resolves a persistent id (torch storages); without it a persistent id is refused. */
  persistentLoad?: (pid: PyValue) => PyValue;
}

const MARK = Symbol('mark');
type StackItem = PyValue | AllowedCallable | typeof MARK;

// fatal: Python's pickle refuses a string that is not UTF-8 (UnicodeDecodeError); so do we.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one pickle (protocols 0–5, the opcodes torch.save and numpy emit) into plain data. It is a data
 * decoder, not an interpreter: every GLOBAL is checked against a fixed allow-list before anything else
 * happens (see allowed-globals.ts), calls of allowed names are pure data constructors, and
 * class-instantiation opcodes (INST, OBJ, extension registry, out-of-band buffers) are refused.
 *
 * This file is longer than most because the opcode table is one switch; splitting it would scatter
 * the stack discipline that makes it auditable.
 * @returns the value and the offset just past its STOP opcode.
 * @throws OpenMindError naming `options.source` for a refused global, a refused or unknown opcode, or a
 *   truncated/malformed pickle.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): { value: PyValue; end: number } {
  const src = options.source;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = options.start ?? 0;
  const stack: StackItem[] = [];
  const memo = new Map<number, StackItem>();
  const fail = (message: string): never => {
    throw new OpenMindError(`${src}: ${message}`);
  };
  const need = (n: number): number => {
    if (n < 0 || pos + n > bytes.length) fail(`truncated pickle (needs ${n} more bytes at offset ${pos}, ${bytes.length - pos} left).`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => bytes[need(1)]!;
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const u64 = (): number => {
    const v = view.getBigUint64(need(8), true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? fail(`length ${v} out of range`) : Number(v);
  };
  const take = (n: number): Uint8Array => bytes.subarray(need(n), pos);
  const decode = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      return fail(`malformed pickle (a string at offset ${pos - b.length} is not valid UTF-8).`);
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(`truncated pickle (unterminated text argument at offset ${pos}).`);
    const s = decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  // Text-mode integers (INT, LONG): Python's int() accepts surrounding blanks and a sign, nothing else.
  const textInt = (s: string, opcode: string): bigint =>
    /^\s*[+-]?\d+\s*$/.test(s) ? BigInt(s.trim()) : fail(`malformed pickle (${opcode} argument must be a decimal integer, but got ${JSON.stringify(s.slice(0, 40))}).`);
  const codePoint = (hex: string): string => {
    const cp = Number.parseInt(hex, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : fail(`malformed pickle (\\U${hex} is not a Unicode code point).`);
  };
  const pop = (): StackItem => (stack.length ? stack.pop()! : fail('malformed pickle (stack underflow).'));
  const top = (): StackItem => (stack.length ? stack[stack.length - 1]! : fail('malformed pickle (stack underflow).'));
  const popValue = (): PyValue => {
    const v = pop();
    return v === MARK || v instanceof AllowedCallable ? fail('malformed pickle (mark or function used as a value).') : v;
  };
  const popMark = (): PyValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('malformed pickle (no MARK on the stack).');
    const items = stack.splice(i);
    items.shift();
    return items.map((v) => (v === MARK || v instanceof AllowedCallable ? fail('malformed pickle (function used as a value).') : v));
  };
  const call = (fn: StackItem, args: PyValue[]): PyValue => {
    if (!(fn instanceof AllowedCallable)) return fail(`pickle calls ${fn instanceof PyGlobal ? `'${fn.path}'` : 'a non-function'}, which is not allowed.`);
    return fn.call(args, src);
  };
  const argsOf = (v: PyValue): PyValue[] => (v instanceof PyTuple ? v.items : fail(`call arguments must be a tuple, but got ${describe(v)}.`));
  const setItems = (target: StackItem, items: PyValue[]): void => {
    if (!(target instanceof PyDict)) fail(`SETITEM(S) on ${describe(target as PyValue)} is not allowed (dicts only).`);
    // Python refuses a key without its value ("odd number of items for SETITEMS"), and so does torch.
    if (items.length % 2 !== 0) fail(`SETITEMS with an odd number of items (${items.length}): a key without its value (the pickle is corrupt).`);
    for (let i = 0; i + 1 < items.length; i += 2) (target as PyDict).set(asKey(items[i], src), items[i + 1]!);
  };
  const appendItems = (target: StackItem, items: PyValue[]): void => {
    if (target instanceof PySet) target.items.push(...items);
    else if (Array.isArray(target)) target.push(...items);
    else fail(`APPEND(S) on ${describe(target as PyValue)} is not allowed (lists only).`);
  };
  const persistent = (pid: PyValue): PyValue => (options.persistentLoad ? options.persistentLoad(pid) : fail('pickle holds a persistent id, but no storages are available here.'));

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const proto = u8();
        if (proto > 5) fail(`pickle protocol ${proto} is not supported (0–5).`);
        break;
      }
      case 0x95: need(8); break; // FRAME: the whole pickle is in memory already
      case 0x2e: return { value: popValue(), end: pos }; // STOP
      case 0x28: stack.push(MARK); break;
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(decodeLong(take(u8()))); break; // LONG1
      case 0x8b: stack.push(decodeLong(take(u32()))); break; // LONG4
      case 0x49: { // INT (text; 00/01 are bools)
        const s = line();
        stack.push(s === '00' ? false : s === '01' ? true : pyInt(textInt(s, 'INT')));
        break;
      }
      case 0x4c: stack.push(pyInt(textInt(line().replace(/L$/, ''), 'LONG'))); break; // LONG (text)
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x46: stack.push(Number.parseFloat(line())); break; // FLOAT (text)
      case 0x58: stack.push(decode(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(decode(take(u64()))); break; // BINUNICODE8
      case 0x56: { // UNICODE: raw-unicode-escape, i.e. latin-1 bytes with \uXXXX / \UXXXXXXXX escapes
        const raw = Array.from(take(bytes.indexOf(0x0a, pos) - pos), (b) => String.fromCharCode(b)).join('');
        need(1);
        stack.push(raw.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u: string | undefined, l: string | undefined) => codePoint(u ?? l!)));
        break;
      }
      case 0x55: stack.push(decode(take(u8()))); break; // SHORT_BINSTRING (Python 2 str)
      case 0x54: stack.push(decode(take(view.getInt32(need(4), true)))); break; // BINSTRING
      case 0x53: stack.push(line().replace(/^(['"])(.*)\1$/, '$2')); break; // STRING (text)
      case 0x43: stack.push(Uint8Array.from(take(u8()))); break; // SHORT_BINBYTES
      case 0x42: stack.push(Uint8Array.from(take(u32()))); break; // BINBYTES
      case 0x8e: case 0x96: stack.push(Uint8Array.from(take(u64()))); break; // BINBYTES8, BYTEARRAY8
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x85: stack.push(new PyTuple([popValue()])); break; // TUPLE1
      case 0x86: { const b = popValue(); const a = popValue(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = popValue(); const b = popValue(); const a = popValue(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = popValue(); appendItems(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { const d = new PyDict(); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x73: { const v = popValue(); const k = popValue(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x8f: stack.push(new PySet([])); break; // EMPTY_SET
      case 0x90: { const items = popMark(); appendItems(top(), items); break; } // ADDITEMS
      case 0x91: stack.push(new PySet(popMark(), true)); break; // FROZENSET
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number(line()), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: case 0x67: { // BINGET, LONG_BINGET, GET
        const key = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(key)) fail(`malformed pickle (memo key ${key} read before it was written).`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x63: { // GLOBAL: checked here, before anything can refer to it
        const module = line();
        const name = line();
        stack.push(resolveGlobal(module, name, src));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = popValue();
        const module = popValue();
        if (typeof module !== 'string' || typeof name !== 'string') fail('malformed pickle (STACK_GLOBAL needs two strings).');
        stack.push(resolveGlobal(module as string, name as string, src));
        break;
      }
      case 0x52: { const args = popValue(); const fn = pop(); stack.push(call(fn, argsOf(args))); break; } // REDUCE
      case 0x81: { const args = popValue(); const cls = pop(); stack.push(call(cls, argsOf(args))); break; } // NEWOBJ
      case 0x92: { popValue(); const args = popValue(); const cls = pop(); stack.push(call(cls, argsOf(args))); break; } // NEWOBJ_EX (kwargs ignored)
      case 0x62: { const state = popValue(); applyBuild(top(), state, src); break; } // BUILD
      case 0x51: { const pid = popValue(); stack.push(persistent(pid)); break; } // BINPERSID
      case 0x50: stack.push(persistent(line())); break; // PERSID
      case 0x69: { // INST names its class inline: refuse it by name, like any other global
        const module = line();
        fail(`refused to unpickle: the pickle instantiates '${module}.${line()}' (opcode INST), which is not allowed. Nothing was executed.`);
        break;
      }
      case 0x6f: // OBJ
        fail(`refused to unpickle: opcode OBJ (class instantiation) at offset ${at} is not allowed. Nothing was executed.`);
        break;
      case 0x82: case 0x83: case 0x84: // EXT1/2/4
        fail(`refused to unpickle: extension-registry opcode ${opName(op)} at offset ${at} is not allowed. Nothing was executed.`);
        break;
      case 0x97: case 0x98: // NEXT_BUFFER, READONLY_BUFFER
        fail(`out-of-band pickle buffers (opcode ${opName(op)}) are not supported.`);
        break;
      default:
        fail(`unknown pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${at} (corrupt file, or not a pickle).`);
    }
  }
}

function opName(op: number): string {
  return ({ 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER' } as Record<number, string>)[op] ?? `0x${op.toString(16)}`;
}
