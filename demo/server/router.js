// Routes each request: the realtime endpoints under `/realtime` (and, with
// faults on, under `/x/<faults>/realtime`), everything else to the static files.
// The checks every realtime endpoint shares (Origin, CORS, protocol version) are made here once.
import { answerPreflight, corsHeaders, originAllowed } from './origin.js';
import { parseFaults } from './faults.js';
import { reply, rejectUpgrade } from './http-util.js';

const BASE = '/realtime';
const NO_FAULTS = new Set();
const FAULT_MOUNT = /^\/x\/([^/]+)\/realtime(\/.*)$/;

/**
 * @param parts `{ config, checkOrigin, ws, sse, poll, send, statics, faults }`
 * @returns `{ request(req, res), upgrade(req, socket, head) }` for the http server's events
 */
export function createRouter({ config, checkOrigin, ws, sse, poll, send, statics, faults }) {
  /** `{ faults, endpoint }` for a realtime path, `{ unknown: true }` for a bad fault list, null for anything else. */
  function mount(pathname) {
    if (pathname.startsWith(BASE + '/')) return { faults: NO_FAULTS, endpoint: pathname.slice(BASE.length) };
    const m = config.faults && FAULT_MOUNT.exec(pathname);
    if (!m) return null;
    const set = parseFaults(m[1]);
    return set ? { faults: set, endpoint: m[2] } : { unknown: true };
  }

  // A connecting request MUST name the protocol version; one this server does not speak is refused.
  const speaks = (url) => url.searchParams.get('v') === '1';

  function realtime(req, res, url, m) {
    if (m.unknown) return reply(res, 404, {}, 'unknown fault');
    if (!originAllowed(req, checkOrigin)) return reply(res, 403, {}, 'origin not allowed');
    if (req.method === 'OPTIONS') return answerPreflight(req, res);
    const headers = corsHeaders(req);
    const { endpoint } = m;
    if (endpoint === '/send') return send(req, res, url, headers);
    if (endpoint !== '/sse' && endpoint !== '/poll' && endpoint !== '/ws') return reply(res, 404, headers);
    if (req.method !== 'GET') return reply(res, 405, { ...headers, allow: 'GET, OPTIONS' });
    if (endpoint === '/ws') return reply(res, 426, { ...headers, upgrade: 'websocket' }, 'this endpoint speaks WebSocket only');
    const connecting = endpoint === '/sse' || !url.searchParams.has('sid') || url.searchParams.has('v');
    if (connecting && !speaks(url)) return reply(res, 400, headers, 'unsupported protocol version; this server speaks v=1');
    if (faults.http(m.faults, endpoint, res, headers)) return;
    if (endpoint === '/sse') return sse(req, res, headers, url);
    poll.poll(req, res, url, headers);
  }

  return {
    request(req, res) {
      const url = parse(req.url);
      if (!url) return reply(res, 400);
      const m = mount(url.pathname);
      try {
        const pending = m ? realtime(req, res, url, m) : statics(req, res, url.pathname);
        if (pending && pending.catch) pending.catch((e) => failed(res, e));
      } catch (e) {
        failed(res, e);
      }
    },

    upgrade(req, socket, head) {
      // Node stops watching an upgraded socket's errors; an unwatched reset would crash the process.
      socket.on('error', () => socket.destroy());
      try {
        const url = parse(req.url);
        const m = url && mount(url.pathname);
        if (!m || m.unknown || m.endpoint !== '/ws') return rejectUpgrade(socket, 404);
        if (!originAllowed(req, checkOrigin)) return rejectUpgrade(socket, 403);
        if (!speaks(url)) return rejectUpgrade(socket, 400);
        if (faults.upgrade(m.faults, req, socket, head)) return;
        ws.upgrade(req, socket, head, url);
      } catch (e) {
        config.log('error', 'upgrade failed:', e);
        socket.destroy();
      }
    },
  };

  function failed(res, e) {
    config.log('error', 'request failed:', e);
    if (!res.headersSent) reply(res, 500);
    else res.destroy();
  }
}

// Prefixing an origin (rather than resolving against one) keeps `//host/path` a path, not a host.
function parse(path) {
  if (typeof path != 'string' || path[0] != '/') return null; // `*` (OPTIONS *) or an absolute URL
  try {
    return new URL('http://localhost' + path);
  } catch {
    return null;
  }
}
