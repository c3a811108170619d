// The Origin allowlist and the CORS headers that go with it (PROTOCOL.md §1,
// "CORS and Origin"). Browsers send Origin on WebSocket upgrades and on
// cross-origin requests, so checking it is what stops another site's page from
// using a visitor's browser to talk to this server.

/** Local development origins on any port; the demo page is served from one of these. */
export const defaultOrigins = [/^http:\/\/localhost(:\d+)?$/, /^http:\/\/127\.0\.0\.1(:\d+)?$/, /^http:\/\/\[::1\](:\d+)?$/];

/** Builds `(origin) => boolean` from the `origins` option. */
export function originChecker(origins) {
  if (origins === '*') return () => true;
  if (typeof origins == 'function') return (o) => !!origins(o);
  return (o) => origins.some((p) => (p instanceof RegExp ? p.test(o) : p === o));
}

/**
 * Whether the request may proceed. A request without Origin is not from a
 * browser acting for another site (curl, server-to-server, same-origin GET), so it passes.
 */
export function originAllowed(req, check) {
  const origin = req.headers.origin;
  return origin === undefined || check(origin);
}

/**
 * CORS headers for an allowed request; none when it carried no Origin. Only
 * allowlisted origins get here, so they may send cookies too (the client's
 * `withCredentials`): the browser needs `allow-credentials` for that.
 */
export function corsHeaders(req) {
  const origin = req.headers.origin;
  return origin === undefined ? {} : { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}

/** Answers an OPTIONS preflight for an allowed origin. */
export function answerPreflight(req, res) {
  res.writeHead(204, {
    ...corsHeaders(req),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
  });
  res.end();
}
