import { ProtocolError } from './errors';

/** One message on the wire, in either direction (see PROTOCOL.md, section 2). */
export interface Envelope<T = unknown> {
  /** What the message is; types starting with `$` belong to the protocol. */
  type: string;
  /** The payload (`undefined` when the server sent none). */
  data?: T;
  /** Sequence number of an application message within its session and direction. */
  seq?: number;
  /** Highest `seq` the sender has received from the other side. */
  ack?: number;
  /** On a request: its id. */
  id?: string;
  /** On a reply: the id of the request it answers. */
  re?: string;
  /** On a failed reply: why. */
  error?: { code: string; message: string };
  [field: string]: unknown;
}

/** The `data` of the server's `$hello` handshake. */
export interface Hello {
  sid: string;
  heartbeat: number;
  /** The session named in the request was continued. */
  resumed: boolean;
  /** The highest `seq` of ours the server received; absent if the server does not acknowledge. */
  ack?: number;
  /** Why the session was not resumed. */
  reason?: string;
}

export const HELLO = '$hello';
export const PING = '$ping';
export const PONG = '$pong';
export const CLOSE = '$close';
export const ERROR = '$error';
export const ACK = '$ack';

/** Serializes `data` as JSON, throwing a TypeError for what JSON cannot carry (BigInt, cycles, functions). */
export function toJson(data: unknown): string | undefined {
  return JSON.stringify(data, (_k, v) => {
    if (typeof v == 'function' || typeof v == 'symbol') throw new TypeError('cannot send a ' + typeof v + ' as JSON');
    return v;
  });
}

/** Encodes one envelope; `json` is `data` already serialized by {@link toJson}. */
export function encode(type: string, json?: string, seq?: number, ack?: number, id?: string): string {
  return (
    '{"type":' +
    JSON.stringify(type) +
    (seq ? ',"seq":' + seq : '') +
    (id ? ',"id":' + JSON.stringify(id) : '') +
    (ack === undefined ? '' : ',"ack":' + ack) +
    (json === undefined ? '' : ',"data":' + json) +
    '}'
  );
}

/**
 * Decodes what one frame, event or response carried: one envelope or an array
 * of them. Each bad item becomes a ProtocolError in place, so good ones around it survive.
 */
export function decode(text: string): (Envelope | ProtocolError)[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [bad('not JSON', text)];
  }
  return (Array.isArray(value) ? value : [value]).map((v) =>
    v && typeof v == 'object' && !Array.isArray(v) && typeof v.type == 'string' && v.type
      ? (v as Envelope)
      : bad('not an envelope', JSON.stringify(v)),
  );
}

function bad(why: string, raw: string): ProtocolError {
  return new ProtocolError('malformed message from server: ' + why, String(raw).slice(0, 200));
}

/** Reads a `$hello` envelope's data, or returns undefined if it is not a usable handshake. */
export function readHello(env: Envelope): Hello | undefined {
  const d = env.data as Hello | undefined;
  return d && typeof d.sid == 'string' && d.sid
    ? { sid: d.sid, heartbeat: +d.heartbeat || 0, resumed: !!d.resumed, ack: typeof d.ack == 'number' ? d.ack : undefined, reason: d.reason && String(d.reason) }
    : undefined;
}

/** Validates a message about to be sent; returns its data as JSON. */
export function check(type: string, data: unknown): string | undefined {
  if (typeof type != 'string' || !type || type[0] == '$') throw new TypeError('send: type must be a non-empty string not starting with "$"');
  return toJson(data);
}
