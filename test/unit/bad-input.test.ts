// What the server may send that is not a well-formed application message.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProtocolError, ServerError } from '../../src';
import { rig, settle, tick, type Rig } from './helpers/client';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function open(): Promise<Rig> {
  const r = rig({ transports: ['websocket'] });
  settle(r.client.connect());
  await tick();
  r.WS.last().hello();
  await tick();
  return r;
}

describe('malformed input from the server', () => {
  it('a frame that is not JSON: an `error` event with a ProtocolError; the connection stays open and later messages arrive', async () => {
    const r = await open();
    r.WS.last().receive('{not json');
    r.WS.last().receive({ type: 'chat', data: 'after', seq: 1 });
    const [e] = r.of('error');
    expect(e).toBeInstanceOf(ProtocolError);
    expect((e as ProtocolError).raw).toBe('{not json');
    expect(r.client.state).toBe('open');
    expect(r.WS.last().closeCalls).toEqual([]);
    expect(r.of('message').map((m) => m.data)).toEqual(['after']);
    r.client.close();
  });

  it.each([
    ['a number', 42],
    ['an array inside a batch', [[{ type: 'x' }]]],
    ['an object without type', { data: 1 }],
    ['an empty type', { type: '' }],
  ])('%s: reported, dropped, connection kept', async (_what, frame) => {
    const r = await open();
    r.WS.last().receive(frame);
    expect(r.of('error')).toHaveLength(1);
    expect(r.of('error')[0]).toBeInstanceOf(ProtocolError);
    expect(r.of('message')).toEqual([]);
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('in a batch, only the bad items are dropped; the good ones arrive in order', async () => {
    const r = await open();
    r.WS.last().receive([{ type: 'chat', data: 1 }, 'junk', { type: 'chat', data: 2 }, null, { type: 'chat', data: 3 }]);
    expect(r.of('message').map((m) => m.data)).toEqual([1, 2, 3]);
    expect(r.of('error')).toHaveLength(2);
    expect(r.events.map(([n]) => n).filter((n) => n == 'message' || n == 'error')).toEqual(['message', 'error', 'message', 'error', 'message']);
    r.client.close();
  });

  it('a binary frame is reported and ignored', async () => {
    const r = await open();
    r.WS.last().onmessage!({ data: new ArrayBuffer(4) });
    expect(r.of('error')[0]).toBeInstanceOf(ProtocolError);
    expect(r.of('error')[0]!.message).toBe('binary frame ignored');
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('junk before $hello is reported but does not fail the handshake', async () => {
    const r = rig({ transports: ['websocket'] });
    const ready = settle(r.client.connect());
    await tick();
    r.WS.last().accept();
    r.WS.last().receive('garbage');
    r.WS.last().hello();
    await tick();
    expect(r.of('error')[0]).toBeInstanceOf(ProtocolError);
    expect(ready.result).toBe('resolved');
    r.client.close();
  });
});

describe('protocol envelopes', () => {
  it('$error: an `error` event with a ServerError carrying code and message; the connection stays open', async () => {
    const r = await open();
    r.WS.last().receive({ type: '$error', data: { code: 'too_large', message: 'envelope over 64 KiB' } });
    const [e] = r.of('error');
    expect(e).toBeInstanceOf(ServerError);
    expect(e).toMatchObject({ code: 'too_large', message: 'envelope over 64 KiB' });
    expect(r.client.state).toBe('open');
    expect(r.of('message')).toEqual([]);
    r.client.close();
  });

  it('an unknown $ type is ignored: no message, no error', async () => {
    const r = await open();
    r.WS.last().receive({ type: '$foo', data: { x: 1 } });
    r.WS.last().receive({ type: '$ack', ack: 3 });
    expect(r.of('message')).toEqual([]);
    expect(r.of('error')).toEqual([]);
    expect(r.client.state).toBe('open');
    r.client.close();
  });

  it('unknown fields of an application envelope reach the listener untouched', async () => {
    const r = await open();
    r.WS.last().receive({ type: 'chat', data: 'x', seq: 1, extra: { y: 2 } });
    expect(r.of('message')).toEqual([{ type: 'chat', data: 'x', seq: 1, extra: { y: 2 } }]);
    r.client.close();
  });
});
