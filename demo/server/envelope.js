// Incoming text → envelopes, and the `$error` reports for what is not one
// (PROTOCOL.md §2). Nothing here throws: malformed input costs the sender one
// `$error`, never the connection, and never the server.

export const ERROR_CODES = { badJson: 'bad_json', badEnvelope: 'bad_envelope', tooLarge: 'too_large', badFrame: 'bad_frame' };

/** A `$error` envelope. */
export function errorEnvelope(code, message) {
  return { type: '$error', data: { code, message } };
}

export function tooLarge(bytes, max) {
  return errorEnvelope(ERROR_CODES.tooLarge, `message of ${bytes} bytes is over the limit of ${max} bytes; dropped`);
}

/** `{ value }` if `text` is JSON, else `{ error }` (a `$error` envelope). */
export function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: errorEnvelope(ERROR_CODES.badJson, `not JSON: ${excerpt(text)}`) };
  }
}

/**
 * One envelope or a batch (an array) → a list in array order where each item is
 * `{ env }` or `{ error }`, so one bad item does not cost the good ones around it.
 */
export function toEnvelopes(value) {
  return (Array.isArray(value) ? value : [value]).map((v) => {
    const why = invalid(v);
    return why ? { error: errorEnvelope(ERROR_CODES.badEnvelope, `${why}: ${excerpt(JSON.stringify(v))}`) } : { env: v };
  });
}

/** Text of one WebSocket frame → `{ env } | { error }` items, with the size cap applied first. */
export function decodeFrame(text, bytes, max) {
  if (bytes > max) return [{ error: tooLarge(bytes, max) }];
  const parsed = parseJson(text);
  return parsed.error ? [parsed] : toEnvelopes(parsed.value);
}

// Fields the protocol defines are checked when present; unknown fields are ignored so the protocol can grow.
function invalid(v) {
  if (v === null || typeof v != 'object' || Array.isArray(v)) return 'an envelope must be a JSON object';
  if (typeof v.type != 'string' || v.type === '') return 'an envelope needs a non-empty string "type"';
  if (v.seq !== undefined && !(Number.isInteger(v.seq) && v.seq >= 1)) return '"seq" must be an integer >= 1';
  if (v.ack !== undefined && !(Number.isInteger(v.ack) && v.ack >= 0)) return '"ack" must be an integer >= 0';
  if (v.id !== undefined && typeof v.id != 'string') return '"id" must be a string';
  return '';
}

function excerpt(text) {
  const s = String(text);
  return s.length > 80 ? s.slice(0, 80) + '…' : s;
}
