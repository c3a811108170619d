// Options of createRealtimeServer, with their defaults, checked once so that
// every other module can trust what it is given.
import { fileURLToPath } from 'node:url';
import { defaultOrigins } from './origin.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export const DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  heartbeat: 25000,
  // Silence beyond `heartbeat` after which a connection is presumed dead (PROTOCOL.md §4).
  heartbeatTimeout: 10000,
  pollTimeout: 25000,
  maxMessageBytes: 64 * 1024,
  // Envelopes waiting for a long poll beyond which the connection is dropped (the session waits for a
  // resume): memory stays bounded when a client stops reading.
  maxQueue: 1000,
  // PROTOCOL.md §5.4: what a session keeps for a resume. Unacknowledged envelopes beyond `messages` or
  // `bytes` are dropped (the next resume that needs them resets); a session without a connection for
  // `time` ms is forgotten.
  retain: { messages: 1000, bytes: 1024 * 1024, time: 120000 },
  origins: defaultOrigins,
  faults: false,
  publicDir: here('../public'),
  distDir: here('../../dist'),
  log: false,
};

/** Returns the resolved options; throws a TypeError that names the first bad one. */
export function resolveConfig(options = {}) {
  const o = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) o[k] = v;
  if (o.retain === null || typeof o.retain != 'object') throw new TypeError('createRealtimeServer: retain must be an object');
  o.retain = { ...DEFAULTS.retain, ...definedOnly(o.retain) };
  for (const k of ['messages', 'bytes', 'time']) {
    if (!Number.isFinite(o.retain[k]) || o.retain[k] <= 0) throw new TypeError(`createRealtimeServer: retain.${k} must be a positive number, got ${o.retain[k]}`);
  }
  for (const k of ['heartbeat', 'heartbeatTimeout', 'pollTimeout', 'maxMessageBytes', 'maxQueue']) {
    if (!Number.isFinite(o[k]) || o[k] <= 0) throw new TypeError(`createRealtimeServer: ${k} must be a positive number, got ${o[k]}`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new TypeError(`createRealtimeServer: port must be 0..65535, got ${o.port}`);
  if (!(typeof o.origins == 'function' || Array.isArray(o.origins) || o.origins === '*'))
    throw new TypeError('createRealtimeServer: origins must be an array of strings/RegExps, a function, or "*"');
  // Unsent output of a socket or stream beyond which its client is taken as not reading, and the
  // connection dropped. Never below twice what a resume may replay at once, or every resume would be dropped.
  o.maxBuffered = Math.max(4 * 1024 * 1024, 2 * o.retain.bytes);
  o.log = typeof o.log == 'function' ? o.log : o.log ? consoleLog : () => {};
  return o;
}

function definedOnly(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function consoleLog(level, ...args) {
  (level == 'error' ? console.error : console.log)(`[realtime] ${level}:`, ...args);
}
