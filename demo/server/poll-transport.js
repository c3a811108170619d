// PROTOCOL.md §6.3: server → client as held GETs on `{base}/poll`, each
// answered with a JSON array of what was queued; client → server arrives
// through send-endpoint.js.
import { reply } from './http-util.js';

/**
 * The link of one long-polling connection: a queue of what no poll has taken
 * yet, and at most one held poll that takes everything queued as soon as there
 * is something. Taken is not acknowledged: a poll response can be cut on its
 * way, so the session keeps its application envelopes for a resume until the client acks them.
 */
class PollLink {
  constructor(session, config, farewells) {
    this.transport = 'long-polling';
    this._session = session;
    this._config = config;
    this._farewells = farewells;
    this._queue = [];
    this._held = null;
    this._flushSoon = null;
    this._expiry = null;
    // The first response carries `$hello` and the whole replay, whatever its size (retain bounds it).
    this._answered = false;
  }

  deliver(envelope) {
    this._queue.push(envelope);
    if (this._answered && this._queue.length > this._config.maxQueue) return void this._session.drop('too many messages waiting for a poll');
    // Envelopes queued in the same tick (a `$pong` and an `echo` answering one POST) share one response.
    if (this._held && !this._flushSoon) this._flushSoon = setImmediate(() => this._flush());
  }

  /** Answers the connecting poll at once with what is queued: the `$hello` and a resume's replay. */
  answerNow(res, headers) {
    this._answered = true;
    this._respond(res, headers, this._queue.splice(0));
    this._armExpiry();
  }

  /** Holds a poll until something is queued or `pollTimeout` passes. */
  hold(res, headers) {
    // The client polls one at a time, so an older poll still held is stale (its response was lost): free it.
    if (this._held) this._answer([]);
    clearTimeout(this._expiry);
    const timer = setTimeout(() => this._answer([]), this._config.pollTimeout);
    timer.unref();
    this._held = { res, headers, timer };
    res.on('close', () => {
      if (this._held?.res !== res) return;
      clearTimeout(timer);
      this._held = null;
      if (this._current()) this._armExpiry();
    });
    if (this._queue.length) this._flush();
  }

  close({ graceful }) {
    clearTimeout(this._expiry);
    clearImmediate(this._flushSoon);
    // A dropped connection's last poll also asks the client not to reuse the connection (the server may be closing).
    if (this._held) this._answer(graceful ? this._queue.splice(0) : [], graceful ? {} : { connection: 'close' });
    if (!graceful || !this._queue.length) return Promise.resolve();
    // The `$close` is still queued and no poll is held: keep it for the next poll, briefly.
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this._farewells.delete(this._session.sid);
        resolve();
      };
      const timer = setTimeout(done, this._config.pollTimeout);
      timer.unref();
      this._farewells.set(this._session.sid, { envelopes: this._queue.splice(0), done });
    });
  }

  _flush() {
    this._flushSoon = null;
    if (this._held && this._queue.length) this._answer(this._queue.splice(0));
  }

  _answer(envelopes, extra) {
    const { res, headers, timer } = this._held;
    clearTimeout(timer);
    this._held = null;
    this._respond(res, { ...headers, ...extra }, envelopes);
    if (this._current()) this._armExpiry();
  }

  _respond(res, headers, envelopes) {
    if (!res.writableEnded) reply(res, 200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }, JSON.stringify(envelopes));
  }

  // Whether this is still its session's connection (not replaced by a resume, dropped or ended).
  _current() {
    return this._session.link === this;
  }

  // A client that stops polling is gone (PROTOCOL.md §6.3 suggests about 2 × the hold time); its
  // session stays, for a resume.
  _armExpiry() {
    clearTimeout(this._expiry);
    const ms = 2 * this._config.pollTimeout;
    this._expiry = setTimeout(() => this._current() && this._session.drop(`not polled for ${ms} ms`), ms);
    this._expiry.unref();
  }
}

/**
 * @param config resolved server options
 * @param sessions the registry
 * @returns `{ poll(req, res, url, headers), closeAll() }`; `headers` are the CORS headers
 */
export function createPollTransport(config, sessions) {
  // sid → `$close` envelopes of a session that ended while no poll was held.
  const farewells = new Map();

  function poll(req, res, url, headers) {
    // `v` marks a connecting request, which may name a session to resume (`sid`, `last`).
    if (url.searchParams.has('v')) {
      const { session, hello } = sessions.connect('long-polling', url.searchParams);
      const link = new PollLink(session, config, farewells);
      session.attach(link, hello);
      return link.answerNow(res, headers);
    }
    const sid = url.searchParams.get('sid');
    const farewell = farewells.get(sid);
    if (farewell) {
      reply(res, 200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }, JSON.stringify(farewell.envelopes));
      return farewell.done();
    }
    // A poll continues the session's current connection; without one (or on another transport) the
    // client must connect again, with `v`, to resume.
    const session = sessions.get(sid);
    if (!session || session.transport !== 'long-polling') return reply(res, 404, { ...headers, 'cache-control': 'no-store' }, 'unknown session');
    session.received();
    session.link.hold(res, headers);
  }

  return {
    poll,
    /** Forgets undelivered farewells (server close). */
    closeAll() {
      for (const f of [...farewells.values()]) f.done();
    },
  };
}
