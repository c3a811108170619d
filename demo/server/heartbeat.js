// Server side of PROTOCOL.md §4: a `$ping` every `interval` ms, and a
// connection is declared dead when nothing at all was *received* for
// `interval + timeout` ms. A dead connection is dropped, not the session: the
// client resumes it on a new connection. The liveness timer re-arms itself from the time of
// the last receipt instead of being reset on every message, so a busy
// connection costs no timer churn.

/**
 * Starts pinging `session`'s current connection and watching what it receives (`session.receivedAt`).
 * Returns a function that stops both.
 */
export function startHeartbeat(session, { interval, timeout, now = Date.now }) {
  const limit = interval + timeout;
  const ping = setInterval(() => session.sendProtocol('$ping'), interval);
  let watch;
  const check = () => {
    const silent = now() - session.receivedAt;
    if (silent >= limit) return session.drop(`nothing received for ${silent} ms, presumed dead`);
    watch = setTimeout(check, limit - silent);
    watch.unref();
  };
  watch = setTimeout(check, limit);
  // The listening HTTP server keeps the process alive; these timers must never be what does.
  ping.unref();
  watch.unref();
  return () => {
    clearInterval(ping);
    clearTimeout(watch);
  };
}
