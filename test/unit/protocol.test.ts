import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src';
import { decode, encode, readHello, toJson } from '../../src/protocol';

describe('toJson', () => {
  it('serializes what JSON can carry', () => {
    expect(toJson({ a: [1, 'two', null, true] })).toBe('{"a":[1,"two",null,true]}');
    expect(toJson(undefined)).toBeUndefined();
  });

  it('throws a TypeError for a BigInt', () => {
    expect(() => toJson({ n: 10n })).toThrow(TypeError);
  });

  it('throws a TypeError for a cycle', () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(() => toJson(o)).toThrow(TypeError);
  });

  it('throws a TypeError for a function, nested or at the top', () => {
    expect(() => toJson({ f: () => 1 })).toThrow(/function/);
    expect(() => toJson(() => 1)).toThrow(TypeError);
  });

  it('throws a TypeError for a symbol', () => {
    expect(() => toJson({ s: Symbol('x') })).toThrow(/symbol/);
  });
});

describe('encode', () => {
  it('writes type, seq and already-serialized data as one JSON object', () => {
    expect(JSON.parse(encode('chat', '{"text":"hi"}', 3))).toEqual({ type: 'chat', seq: 3, data: { text: 'hi' } });
  });

  it('leaves out absent data and seq', () => {
    expect(JSON.parse(encode('$ping'))).toEqual({ type: '$ping' });
  });

  it('escapes the type', () => {
    expect(JSON.parse(encode('a"b\\c', 'null'))).toEqual({ type: 'a"b\\c', data: null });
  });

  it('writes ack (0 included) and a request id', () => {
    expect(JSON.parse(encode('sum', '[1,2]', 8, 12, '5'))).toEqual({ type: 'sum', data: [1, 2], seq: 8, id: '5', ack: 12 });
    expect(JSON.parse(encode('$ack', undefined, 0, 0))).toEqual({ type: '$ack', ack: 0 });
  });
});

describe('decode', () => {
  it('reads one envelope', () => {
    expect(decode('{"type":"chat","data":{"text":"hi"},"seq":1}')).toEqual([{ type: 'chat', data: { text: 'hi' }, seq: 1 }]);
  });

  it('keeps unknown fields', () => {
    expect(decode('{"type":"x","future":1}')).toEqual([{ type: 'x', future: 1 }]);
  });

  it('reports text that is not JSON as one ProtocolError carrying the input', () => {
    const [e] = decode('{oops');
    expect(e).toBeInstanceOf(ProtocolError);
    expect((e as ProtocolError).message).toMatch(/not JSON/);
    expect((e as ProtocolError).raw).toBe('{oops');
  });

  it('truncates the raw input of a ProtocolError to 200 characters', () => {
    const [e] = decode('x'.repeat(1000));
    expect((e as ProtocolError).raw).toHaveLength(200);
  });

  it.each([
    ['a number', '42'],
    ['a string', '"hello"'],
    ['null', 'null'],
    ['an object without type', '{"data":1}'],
    ['an object with a non-string type', '{"type":7}'],
    ['an object with an empty type', '{"type":""}'],
  ])('reports %s as not an envelope', (_what, text) => {
    const items = decode(text);
    expect(items).toHaveLength(1);
    expect(items[0]).toBeInstanceOf(ProtocolError);
    expect((items[0] as ProtocolError).message).toMatch(/not an envelope/);
  });

  it('decodes a batch in order, turning only the bad items into errors', () => {
    const items = decode('[{"type":"a"},5,{"nope":1},[],{"type":"b","data":2}]');
    expect(items.map((i) => (i instanceof ProtocolError ? 'error' : i.type))).toEqual(['a', 'error', 'error', 'error', 'b']);
    expect(items[4]).toEqual({ type: 'b', data: 2 });
  });

  it('decodes an empty batch to nothing', () => {
    expect(decode('[]')).toEqual([]);
  });
});

describe('readHello', () => {
  it('reads sid, heartbeat and resumed', () => {
    expect(readHello({ type: '$hello', data: { sid: 's', heartbeat: 25000, resumed: true } })).toEqual({ sid: 's', heartbeat: 25000, resumed: true });
  });

  it('defaults a missing heartbeat to 0 and resumed to false', () => {
    expect(readHello({ type: '$hello', data: { sid: 's' } })).toEqual({ sid: 's', heartbeat: 0, resumed: false });
  });

  it('reads ack and reason; an ack that is not a number is no ack (a server that does not acknowledge)', () => {
    const h = readHello({ type: '$hello', data: { sid: 's', resumed: false, ack: 0, reason: 'expired' } });
    expect(h).toMatchObject({ ack: 0, reason: 'expired' });
    expect(readHello({ type: '$hello', data: { sid: 's' } })!.ack).toBeUndefined();
    expect(readHello({ type: '$hello', data: { sid: 's', ack: '3' } })!.ack).toBeUndefined();
  });

  it('rejects a handshake without a usable sid', () => {
    expect(readHello({ type: '$hello' })).toBeUndefined();
    expect(readHello({ type: '$hello', data: { sid: '' } })).toBeUndefined();
    expect(readHello({ type: '$hello', data: { sid: 5 } })).toBeUndefined();
  });
});
