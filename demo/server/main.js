#!/usr/bin/env node
// `npm run demo`: the reference server with the demo page and fault injection.
// PORT (default 8080), HOST (default 127.0.0.1), ORIGINS (extra allowed origins, comma-separated).
import { createRealtimeServer } from './index.js';
import { defaultOrigins } from './origin.js';

const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';
const extra = (process.env.ORIGINS || '').split(',').map((s) => s.trim()).filter(Boolean);

const srv = createRealtimeServer({
  port,
  host,
  faults: true,
  origins: [...defaultOrigins, ...extra],
  log: (level, ...args) => (level == 'error' ? console.error : console.log)(new Date().toISOString(), level, ...args),
});

let bound;
try {
  bound = await srv.listen();
} catch (e) {
  console.error(`Cannot listen on ${host}:${port}: ${e.message}` + (e.code == 'EADDRINUSE' ? ' (set PORT to use another port)' : ''));
  process.exit(1);
}

console.log(`Realtime demo: http://localhost:${bound.port}/`);
console.log(`Realtime endpoint: http://localhost:${bound.port}/realtime  (fault injection under /x/<faults>/realtime)`);
if (host == '127.0.0.1') console.log('Listening on 127.0.0.1 only; set HOST=0.0.0.0 to accept other machines (and ORIGINS for their page origin).');
else console.log(`Listening on ${host}. Pages from other origins than localhost need ORIGINS=http://host:port.`);

// Ctrl+C or a process manager's stop: say goodbye with `$close`, and let clients come back to a restarted server.
let stopping = false;
const stop = async (signal) => {
  if (stopping) process.exit(1); // a second Ctrl+C does not wait
  stopping = true;
  console.log(`${signal}: closing sessions…`);
  await srv.shutdown({ code: 1001, reason: 'server shutting down', reconnect: true, grace: 1000 });
  process.exit(0);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
