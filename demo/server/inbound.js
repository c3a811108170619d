// What the server does with each envelope a client sends, whatever the
// transport: acknowledgements are taken, protocol envelopes answered,
// application envelopes put in order (PROTOCOL.md §5.1) and given to the app.

/**
 * Returns `receive(session, items)`, where `items` come from envelope.js
 * (`{ env }` or `{ error }`) and are one WebSocket frame or one POST body, in the order the client sent them.
 * @param app `(session, envelope) => void` for application envelopes
 * @param events the server's EventEmitter: gets 'message' `(sid, envelope)` once per delivered application envelope
 */
export function createInbound(app, events) {
  return function receive(session, items) {
    let numbered = false;
    for (const { env, error } of items) {
      // A `$close` earlier in the same batch ended the session: the rest has nobody to answer.
      if (session.ended) return;
      if (error) {
        session.sendProtocol(error.type, error.data);
        continue;
      }
      if (env.ack !== undefined) session.acked(env.ack);
      switch (env.type) {
        case '$ping':
          session.sendProtocol('$pong', env.data);
          break;
        case '$close':
          session.end('closed by client' + (env.data && env.data.code ? ` (${env.data.code})` : ''));
          break;
        default: {
          // `$pong` and `$ack` only prove liveness (already counted); unknown `$` types MUST be ignored.
          if (env.type[0] == '$') break;
          numbered ||= env.seq !== undefined;
          const verdict = session.accept(env.seq);
          if (verdict == 'duplicate') break;
          // The rest of the batch is not processed either: the client re-sends it all on the resumed connection.
          if (verdict == 'gap') return session.drop(`gap: seq ${env.seq} after ${session.lastIn}`);
          events.emit('message', session.sid, env);
          app(session, env);
        }
      }
    }
    // One `$ack` per frame or body, after its replies. Clients that do not number their envelopes get none.
    if (numbered && !session.ended) session.sendAck();
  };
}
