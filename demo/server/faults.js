// Fault injection for the demo page and the browser tests: the same realtime
// service mounted at `/x/<faults>/realtime`, where `<faults>` is a `+`-joined
// list of the network conditions below. Each imitates something met in the
// field, so the client's fallback can be watched and tested against it.
import { WebSocketServer } from 'ws';
import { rejectUpgrade, reply } from './http-util.js';
import { sseHeaders } from './sse-transport.js';

export const FAULTS = {
  'ws-refuse': 'the WebSocket upgrade is refused with 403 (a gateway or security filter; the browser sees close code 1006)',
  'ws-hang': 'the WebSocket upgrade is never answered',
  'ws-silent': 'the WebSocket opens but nothing ever comes through it',
  'sse-refuse': 'the event stream is refused with 503',
  'sse-buffer': 'the event stream opens but a buffering proxy holds back every event',
  'poll-refuse': 'long polls are refused with 503',
};

/** `'ws-refuse+sse-refuse'` → a Set of fault names, or null when one is unknown (the caller answers 404). */
export function parseFaults(segment) {
  const names = segment.split('+');
  return names.length && names.every((n) => Object.hasOwn(FAULTS, n)) ? new Set(names) : null;
}

/** Holds what the faults keep open, so that the server's close() can end it. */
export function createFaults() {
  const sockets = new Set();
  const streams = new Set();
  // Its own server, so silent sockets never become sessions.
  const silent = new WebSocketServer({ noServer: true, clientTracking: true });

  const keep = (set, item, closeEvent) => {
    set.add(item);
    item.once(closeEvent, () => set.delete(item));
  };

  return {
    /** Applies a fault to a WebSocket upgrade; returns true if it took the request over. */
    upgrade(faults, req, socket, head) {
      if (faults.has('ws-refuse')) rejectUpgrade(socket, 403);
      else if (faults.has('ws-hang')) keep(sockets, socket, 'close');
      else if (faults.has('ws-silent')) silent.handleUpgrade(req, socket, head, (ws) => ws.on('error', () => {}));
      else return false;
      return true;
    },

    /** Applies a fault to `/sse` or `/poll`; returns true if it took the request over. */
    http(faults, endpoint, res, headers) {
      if (endpoint == '/sse' && faults.has('sse-refuse')) reply(res, 503, headers);
      else if (endpoint == '/poll' && faults.has('poll-refuse')) reply(res, 503, headers);
      else if (endpoint == '/sse' && faults.has('sse-buffer')) {
        // The headers get through (EventSource fires `open`), then nothing more.
        res.writeHead(200, sseHeaders(headers));
        res.flushHeaders();
        keep(streams, res, 'close');
      } else return false;
      return true;
    },

    closeAll() {
      for (const s of sockets) s.destroy();
      for (const r of streams) r.end();
      for (const ws of silent.clients) ws.terminate();
    },
  };
}
