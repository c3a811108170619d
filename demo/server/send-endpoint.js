// PROTOCOL.md §6.4: `POST {base}/send?sid=…`, client → server for the SSE and
// long-polling transports. The answer is only about the POST itself; replies to
// its envelopes travel on the session's stream or poll.
import { parseJson, toEnvelopes } from './envelope.js';
import { readBody, reply } from './http-util.js';

/**
 * @param config resolved server options
 * @param sessions the registry
 * @param receive inbound.js's `receive(session, items)`
 * @returns `{ send(req, res, url, headers), whenIdle() }`; `headers` are the CORS headers
 */
export function createSendEndpoint(config, sessions, receive) {
  const max = config.maxMessageBytes;
  let inFlight = 0;
  const idle = [];

  async function send(req, res, url, headers) {
    if (req.method !== 'POST') return reply(res, 405, { ...headers, allow: 'POST, OPTIONS' });
    const sid = url.searchParams.get('sid');
    const session = sessions.get(sid);
    if (!overHttp(session)) return refused(res, headers, sid);
    inFlight++;
    try {
      await handle(req, res, session, headers);
    } finally {
      if (--inFlight == 0) for (const resolve of idle.splice(0)) resolve();
    }
  }

  async function handle(req, res, session, headers) {
    let body;
    try {
      body = await readBody(req, max);
    } catch {
      return; // the client went away mid-upload, or sent far too much: nobody to answer
    }
    if (body.tooLarge) return reply(res, 413, headers, `body of ${body.tooLarge} bytes is over the limit of ${max} bytes`);
    const parsed = parseJson(body.text);
    if (parsed.error || !Array.isArray(parsed.value)) return reply(res, 400, headers, 'the body must be a JSON array of envelopes');
    if (!overHttp(session)) return refused(res, headers, session.sid);
    session.received();
    receive(session, toEnvelopes(parsed.value));
    accepted(res, headers);
  }

  function refused(res, headers, sid) {
    if (sessions.saidClose(sid)) accepted(res, headers);
    else reply(res, 404, headers, 'unknown session');
  }

  return {
    send,
    /** Resolves when no POST is being handled: shutdown() waits for this so none is cut off mid-way. */
    whenIdle: () => (inFlight == 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve))),
  };
}

// A POST belongs to an HTTP connection, or to one that just ended (its stream closed while the POST was
// on its way, as when the client closes: the `$close` it carries must still free the session). A session
// now on a WebSocket was resumed there: the POST comes from a connection the client has left.
const overHttp = (session) => !!session && !session.ended && session.transport != 'websocket';

function accepted(res, headers) {
  res.writeHead(204, headers);
  res.end();
}
