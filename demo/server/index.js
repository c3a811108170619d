// The reference server of PROTOCOL.md: WebSocket, Server-Sent Events and long
// polling on `/realtime`, the demo page at `/`. This file only assembles the
// modules and owns the server's lifecycle (listen, close, shutdown).
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { createDemoApp } from './app.js';
import { resolveConfig } from './config.js';
import { createFaults } from './faults.js';
import { createInbound } from './inbound.js';
import { originChecker } from './origin.js';
import { createPollTransport } from './poll-transport.js';
import { createRouter } from './router.js';
import { createSendEndpoint } from './send-endpoint.js';
import { Sessions } from './sessions.js';
import { createSseTransport } from './sse-transport.js';
import { createStatic } from './static.js';
import { createWsTransport } from './ws-transport.js';

/**
 * Creates the server; nothing listens until `listen()`.
 *
 * The returned object is an EventEmitter with 'session:open' `{ sid, transport }`,
 * 'session:end' `{ sid, transport, why }`, 'session:resume' `(sid, transport)`,
 * 'session:reset' `(oldSid, newSid, reason)` and 'message' `(sid, envelope)`, the
 * last once per application envelope delivered (duplicates dropped), in the client's order.
 * A session outlives its connections: one that loses its connection waits
 * `retain.time` ms for the client to resume it (PROTOCOL.md §5).
 *
 * @example
 * const srv = createRealtimeServer({ port: 0, heartbeat: 1000 });
 * const { url } = await srv.listen();   // http://127.0.0.1:PORT; the client's base URL is url + '/realtime'
 * srv.kick(sid, 4003, 'kicked');
 * await srv.close();
 */
export function createRealtimeServer(options) {
  const config = resolveConfig(options);
  const srv = new EventEmitter();
  const sessions = new Sessions(config, srv);
  const receive = createInbound(createDemoApp(sessions), srv);
  const ws = createWsTransport(config, sessions, receive);
  const poll = createPollTransport(config, sessions);
  const faults = createFaults();
  const send = createSendEndpoint(config, sessions, receive);
  const router = createRouter({
    config,
    checkOrigin: originChecker(config.origins),
    ws,
    sse: createSseTransport(config, sessions),
    poll,
    send: send.send,
    statics: createStatic(config),
    faults,
  });

  const server = createServer(router.request);
  server.on('upgrade', router.upgrade);
  // Every socket, upgraded ones included (the http server forgets those), so close() leaves nothing open.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  let port = config.port;
  let closing = null;

  /** Starts listening; resolves `{ port, url }`. After close() it may listen again, by default on the same port. */
  srv.listen = (onPort = port) =>
    new Promise((resolve, reject) => {
      closing = null;
      server.once('error', reject);
      server.listen(onPort, config.host, () => {
        server.off('error', reject);
        port = server.address().port;
        resolve({ port, url: `http://${urlHost(config.host)}:${port}` });
      });
    });

  /**
   * Closes at once without `$close`: clients see a dropped connection and reconnect. Like a process
   * that exits, the server forgets its sessions: their resumes are reset. Idempotent.
   */
  srv.close = () => {
    if (closing) return closing;
    sessions.endAll('server closing');
    poll.closeAll();
    faults.closeAll();
    ws.terminateAll();
    closing = new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
    return closing;
  };

  /**
   * Ends every session with `$close` (so clients don't reconnect, unless
   * `reconnect` is true), waits up to `grace` ms for that to be delivered, then closes.
   */
  srv.shutdown = async ({ code = 1001, reason = 'server shutting down', reconnect = false, grace = 1000 } = {}) => {
    const farewell = reconnect ? { code, reason, reconnect: true } : { code, reason };
    let timer;
    const waited = new Promise((resolve) => (timer = setTimeout(resolve, grace)));
    // POSTs already under way are answered before the server goes: cut off, they would make their
    // clients reconnect at once, racing the `$close` that tells them how to.
    await Promise.race([Promise.all([sessions.endAll(reason, farewell), send.whenIdle()]), waited]);
    clearTimeout(timer);
    await srv.close();
  };

  /**
   * Ends one session with `$close`; the client does not reconnect. Returns false if there is no such
   * session. A session waiting for a resume is just forgotten: its resume will be reset.
   */
  srv.kick = (sid, code = 4003, reason = 'kicked') => {
    const session = sessions.get(sid);
    if (!session) return false;
    session.end(`kicked (${code})`, { code, reason });
    return true;
  };

  /** Sends an application envelope to every session; returns how many. */
  srv.broadcast = (type, data) => sessions.broadcast(type, data);

  /**
   * Sends an application envelope to one session; one without a connection gets it on its resume.
   * Returns false if there is no such session.
   */
  srv.send = (sid, type, data) => {
    const session = sessions.get(sid);
    if (!session) return false;
    session.send(type, data);
    return true;
  };

  /** `{ sid, transport, connected, lastIn, seqOut, retained, overflowed }`, or undefined for no such session. */
  srv.sessionInfo = (sid) => sessions.get(sid)?.info();

  /** `{ sessions, byTransport: { websocket, sse, 'long-polling' } }` */
  srv.stats = () => sessions.stats();

  /** `[{ sid, transport, connected, since }]`, one per session; `transport` is the last connection's while it waits for a resume. */
  srv.list = () => sessions.list();

  return srv;
}

function urlHost(host) {
  if (host === '0.0.0.0' || host === '::' || !host) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
