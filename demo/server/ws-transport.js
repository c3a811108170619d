// PROTOCOL.md §6.1: envelopes as WebSocket text frames on `{base}/ws`.
// Origin, version and faults are checked by the router before this runs.
import { WebSocketServer } from 'ws';
import { decodeFrame, errorEnvelope, ERROR_CODES } from './envelope.js';

// Close codes a server may put in a close frame (RFC 6455 §7.4); others fall back to 1000.
const sendableCode = (c) => c === 1000 || c === 1001 || c === 1008 || c === 1011 || c === 1012 || c === 1013 || (c >= 3000 && c <= 4999);

/**
 * @param config resolved server options
 * @param sessions the registry
 * @param receive inbound.js's `receive(session, items)`
 */
export function createWsTransport(config, sessions, receive) {
  const max = config.maxMessageBytes;
  // `maxPayload` is only the hard memory bound: frames between `max` and it get a `$error`, which
  // tells the client what happened; beyond it `ws` closes the socket with 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: max * 16, clientTracking: true, perMessageDeflate: false });

  function connected(ws, url) {
    const { session, hello } = sessions.connect('websocket', url.searchParams);
    const link = {
      transport: 'websocket',
      deliver(envelope) {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > config.maxBuffered) return void session.drop('client not reading');
        ws.send(JSON.stringify(envelope));
      },
      close({ graceful, code, reason }) {
        return new Promise((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          // Graceful: the close handshake goes after the queued `$close` frame, so the client reads it first.
          if (graceful) ws.close(sendableCode(code) ? code : 1000, truncate(reason));
          else ws.terminate();
        });
      },
    };
    ws.on('message', (data, isBinary) => {
      // A socket that a resume replaced (or a dropped one) speaks for the session no more.
      if (session.link !== link) return;
      session.received();
      if (isBinary) return receive(session, [{ error: errorEnvelope(ERROR_CODES.badFrame, 'binary frames are not used; send JSON text') }]);
      receive(session, decodeFrame(data.toString('utf8'), data.length, max));
    });
    ws.on('close', (code) => session.detach(link, `socket closed (${code})`));
    ws.on('error', (e) => config.log('warn', `websocket error: ${e.message}`));
    session.attach(link, hello);
  }

  return {
    /** `url`: the request's parsed URL (its `sid` and `last` name a session to resume). */
    upgrade(req, socket, head, url) {
      wss.handleUpgrade(req, socket, head, (ws) => connected(ws, url));
    },
    /** Drops every socket at once (server close): no close handshake to wait for. */
    terminateAll() {
      for (const ws of wss.clients) ws.terminate();
    },
  };
}

// A close frame's reason is limited to 123 bytes.
function truncate(reason) {
  const s = typeof reason == 'string' ? reason : '';
  return Buffer.byteLength(s) <= 123 ? s : Buffer.from(s).subarray(0, 120).toString('utf8');
}
