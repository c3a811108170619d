// PROTOCOL.md §6.2: server → client as a Server-Sent Events stream on
// `{base}/sse`; client → server arrives through send-endpoint.js.

// A stream whose unsent output grows past this is not being read: drop it rather than buffer without bound.
const MAX_BUFFERED = 4 * 1024 * 1024;

/** The response headers of an event stream; also used by the `sse-buffer` fault. */
export function sseHeaders(extra) {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // Stops nginx from buffering the stream, which would hold back `$hello` until the client gives up.
    'x-accel-buffering': 'no',
    ...extra,
  };
}

/**
 * @param sessions the registry
 * @returns `(req, res, headers)` that opens a session over an event stream; `headers` are the CORS headers
 */
export function createSseTransport(sessions) {
  return function stream(req, res, headers) {
    res.writeHead(200, sseHeaders(headers));
    const session = sessions.create('sse');
    res.on('close', () => session.end('stream closed'));
    session.open({
      deliver(envelope) {
        if (res.writableEnded) return;
        if (res.writableLength > MAX_BUFFERED) return void session.end('client not reading');
        // JSON.stringify escapes line breaks inside strings, so an envelope is always one `data:` line.
        res.write('data: ' + JSON.stringify(envelope) + '\n\n');
      },
      close({ graceful }) {
        return new Promise((resolve) => {
          if (res.closed) return resolve();
          res.once('close', () => resolve());
          // After `$close` the stream ends cleanly. A dropped session's stream is cut instead: a cleanly
          // ended response would hand its connection back to the client's keep-alive pool, to fail on reuse.
          if (graceful) res.end();
          else res.destroy();
        });
      },
    });
  };
}
