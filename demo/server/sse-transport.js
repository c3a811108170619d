// PROTOCOL.md §6.2: server → client as a Server-Sent Events stream on
// `{base}/sse`; client → server arrives through send-endpoint.js.

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
 * @param config resolved server options
 * @param sessions the registry
 * @returns `(req, res, headers, url)` that opens a connection over an event stream; `headers` are the CORS
 *   headers, `url` the parsed request URL (its `sid` and `last` name a session to resume)
 */
export function createSseTransport(config, sessions) {
  return function stream(req, res, headers, url) {
    res.writeHead(200, sseHeaders(headers));
    const { session, hello } = sessions.connect('sse', url.searchParams);
    const link = {
      transport: 'sse',
      deliver(envelope) {
        if (res.writableEnded) return;
        if (res.writableLength > config.maxBuffered) return void session.drop('client not reading');
        // JSON.stringify escapes line breaks inside strings, so an envelope is always one `data:` line.
        res.write('data: ' + JSON.stringify(envelope) + '\n\n');
      },
      close({ graceful }) {
        return new Promise((resolve) => {
          if (res.closed) return resolve();
          res.once('close', () => resolve());
          // After `$close` the stream ends cleanly. A dropped connection's stream is cut instead: a cleanly
          // ended response would hand its connection back to the client's keep-alive pool, to fail on reuse.
          if (graceful) res.end();
          else res.destroy();
        });
      },
    };
    res.on('close', () => session.detach(link, 'stream closed'));
    session.attach(link, hello);
  };
}
