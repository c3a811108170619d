// The client's half of a session (PROTOCOL.md section 5), on its own: what it
// numbers and keeps, what it delivers, when it acknowledges, how it resumes.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Hello } from '../../src';
import { Session } from '../../src/session';
import { manualClock, type ManualClock } from './helpers/manual-clock';

let clock: ManualClock;
/** The `ack` of every `$ack` the session asked for, with when. */
let acks: [at: number, ack: number][];
let s: Session;

beforeEach(() => {
  clock = manualClock();
  acks = [];
  // As the client does: a `$ack` carries what `_told()` returns.
  s = new Session(clock.timers, () => acks.push([clock.now(), s._told()]));
});

const hello = (h: Partial<Hello> = {}): Hello => ({ sid: 'S1', heartbeat: 25000, resumed: false, ack: 0, ...h });
const kept = () => s._out.map((m) => [m.type, m.seq]);

/** Delivers seq `from`..`to`, expecting each to be new. */
function deliver(from: number, to: number): void {
  for (let seq = from; seq <= to; seq++) expect(s._accept(seq)).toBe(1);
}

describe('Session: numbering and keeping', () => {
  it('numbers messages 1, 2, 3… and keeps each with its data and request id', () => {
    expect(s._add('a', '1')).toEqual({ seq: 1, type: 'a', json: '1', id: undefined });
    expect(s._add('b')).toMatchObject({ seq: 2, type: 'b' });
    expect(s._add('c', '{"x":1}', '7')).toEqual({ seq: 3, type: 'c', json: '{"x":1}', id: '7' });
    expect(kept()).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('an ack drops what it covers, and only that', () => {
    for (const t of ['a', 'b', 'c']) s._add(t);
    s._ack(2);
    expect(kept()).toEqual([['c', 3]]);
    s._ack(1); // older news changes nothing
    expect(kept()).toEqual([['c', 3]]);
    s._ack(10);
    expect(kept()).toEqual([]);
    expect(s._add('d').seq).toBe(4);
  });

  it('an envelope without a numeric ack changes nothing', () => {
    s._add('a');
    for (const v of [undefined, null, '1', {}]) s._ack(v);
    expect(kept()).toEqual([['a', 1]]);
  });

  it('a server that acknowledges: what went out is kept for a resume', () => {
    s._add('a');
    s._hello(hello({ ack: 0 }));
    s._flushed();
    s._add('b');
    s._flushed();
    expect(kept()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('a server whose $hello has no ack does not acknowledge: nothing is kept once sent', () => {
    s._add('a');
    expect(s._hello(hello({ ack: undefined }))).toBeUndefined();
    expect(kept()).toEqual([['a', 1]]); // queued before the handshake: still to be sent
    s._flushed();
    expect(kept()).toEqual([]);
    s._add('b');
    s._flushed();
    expect(kept()).toEqual([]);
    expect(s._add('c').seq).toBe(3); // still numbered, for the server's dedupe
  });
});

describe('Session: the handshake', () => {
  it('the first $hello starts the session and is no reset', () => {
    expect(s._query()).toBe('v=1');
    expect(s._hello(hello({ sid: 'S1' }))).toBeUndefined();
    expect(s._sid).toBe('S1');
    expect(s._query()).toBe('v=1&sid=S1&last=0');
  });

  it('the query asks to resume the session from the last delivered seq, the sid encoded', () => {
    s._hello(hello({ sid: 'a b/c+d' }));
    deliver(1, 4);
    expect(s._query()).toBe('v=1&sid=a%20b%2Fc%2Bd&last=4');
  });

  it('resumed: keeps numbers and last, drops what the server acknowledged', () => {
    s._hello(hello());
    for (const t of ['a', 'b', 'c']) s._add(t);
    deliver(1, 5);
    expect(s._hello(hello({ resumed: true, ack: 1 }))).toBeUndefined();
    expect(s._sid).toBe('S1');
    expect(kept()).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    expect(s._add('d').seq).toBe(4);
    expect(s._last).toBe(5);
    expect(s._accept(5)).toBe(0);
    expect(s._accept(6)).toBe(1);
  });

  it('reset: reports reason, previous sid and how many are sent again; renumbers them from 1; last starts over', () => {
    s._hello(hello());
    for (const t of ['a', 'b', 'c']) s._add(t);
    deliver(1, 5);
    const reset = s._hello(hello({ sid: 'S2', resumed: false, reason: 'expired', ack: 0 }));
    expect(reset).toEqual({ reason: 'expired', previous: 'S1', resent: 3 });
    expect(s._sid).toBe('S2');
    expect(kept()).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(s._add('d').seq).toBe(4);
    expect(s._last).toBe(0);
    expect(s._query()).toBe('v=1&sid=S2&last=0');
    expect(s._accept(1)).toBe(1);
  });

  it('reset: the ack is about the old session\'s numbers, and is applied before renumbering', () => {
    s._hello(hello());
    for (const t of ['a', 'b', 'c', 'd']) s._add(t);
    const reset = s._hello(hello({ sid: 'S2', resumed: false, reason: 'overflow', ack: 2 }));
    expect(reset).toEqual({ reason: 'overflow', previous: 'S1', resent: 2 });
    expect(kept()).toEqual([
      ['c', 1],
      ['d', 2],
    ]);
    // Acks of the new session count in the new numbers.
    s._ack(1);
    expect(kept()).toEqual([['d', 2]]);
  });

  it('reset: the reason defaults to unknown_session', () => {
    s._hello(hello());
    expect(s._hello(hello({ sid: 'S2' }))).toEqual({ reason: 'unknown_session', previous: 'S1', resent: 0 });
  });

  it('"resumed" with another sid is a new session all the same', () => {
    s._hello(hello());
    s._add('a');
    expect(s._hello(hello({ sid: 'S2', resumed: true }))).toEqual({ reason: 'unknown_session', previous: 'S1', resent: 1 });
    expect(s._sid).toBe('S2');
  });
});

describe('Session: _accept()', () => {
  it('delivers the next seq, drops a duplicate, and calls a gap a gap', () => {
    s._hello(hello());
    expect(s._accept(1)).toBe(1);
    expect(s._accept(2)).toBe(1);
    expect(s._accept(2)).toBe(0);
    expect(s._accept(1)).toBe(0);
    expect(s._accept(4)).toBe(-1);
    expect(s._last).toBe(2); // a gap delivers nothing
    expect(s._accept(3)).toBe(1);
    expect(s._accept(4)).toBe(1);
  });

  it('an envelope without a numeric seq is delivered and changes nothing', () => {
    s._hello(hello());
    deliver(1, 2);
    expect(s._accept(undefined)).toBe(1);
    expect(s._accept('3')).toBe(1);
    expect(s._last).toBe(2);
    clock.advance(60000);
    expect(acks).toEqual([[1000, 2]]);
  });
});

describe('Session: acknowledgements', () => {
  beforeEach(() => {
    s._hello(hello());
  });

  it('asks for a $ack 1 s after the first unacknowledged delivery, covering all delivered by then', () => {
    deliver(1, 1);
    clock.advance(500);
    deliver(2, 3);
    clock.advance(499);
    expect(acks).toEqual([]);
    clock.advance(1);
    expect(acks).toEqual([[1000, 3]]);
    clock.advance(60000);
    expect(acks).toHaveLength(1);
  });

  it('asks at once on the 32nd unacknowledged delivery', () => {
    deliver(1, 31);
    expect(acks).toEqual([]);
    deliver(32, 32);
    expect(acks).toEqual([[0, 32]]);
    deliver(33, 63);
    expect(acks).toHaveLength(1);
    deliver(64, 64);
    expect(acks).toEqual([
      [0, 32],
      [0, 64],
    ]);
    clock.advance(60000);
    expect(acks).toHaveLength(2);
  });

  it('an ack piggybacked on something sent (told) cancels the $ack and starts the count over', () => {
    deliver(1, 20);
    expect(s._told()).toBe(20);
    clock.advance(5000);
    expect(acks).toEqual([]);
    deliver(21, 51);
    expect(acks).toEqual([]);
    deliver(52, 52);
    expect(acks).toEqual([[5000, 52]]);
  });

  it('duplicates and gaps start no $ack', () => {
    deliver(1, 3);
    expect(s._told()).toBe(3);
    s._accept(2);
    s._accept(9);
    clock.advance(60000);
    expect(acks).toEqual([]);
  });

  it('_stop() cancels a pending $ack (the connection is gone)', () => {
    deliver(1, 1);
    s._stop();
    clock.advance(60000);
    expect(acks).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('after a resume the server knows `last` from the query: no $ack is owed for it', () => {
    deliver(1, 10);
    s._stop();
    s._hello(hello({ resumed: true }));
    clock.advance(60000);
    expect(acks).toEqual([]);
    deliver(11, 41);
    expect(acks).toEqual([]);
    deliver(42, 42);
    expect(acks).toEqual([[60000, 42]]);
  });
});
