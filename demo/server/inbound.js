// What the server does with each envelope a client sends, whatever the
// transport: protocol envelopes are answered here, application ones go to the app.

/**
 * Returns `receive(session, items)`, where `items` come from envelope.js
 * (`{ env }` or `{ error }`), in the order the client sent them.
 * @param app `(session, envelope) => void` for application envelopes
 * @param events the server's EventEmitter: gets 'message' for each application envelope
 */
export function createInbound(app, events) {
  return function receive(session, items) {
    for (const { env, error } of items) {
      // A `$close` earlier in the same batch ended the session: the rest has nobody to answer.
      if (session.ended) return;
      if (error) {
        session.sendProtocol(error.type, error.data);
        continue;
      }
      switch (env.type) {
        case '$ping':
          session.sendProtocol('$pong', env.data);
          break;
        case '$close':
          session.end('closed by client' + (env.data && env.data.code ? ` (${env.data.code})` : ''));
          break;
        default:
          // `$pong` and `$ack` only prove liveness (already counted); unknown `$` types MUST be ignored.
          if (env.type[0] == '$') break;
          if (env.seq > session.lastSeqIn) session.lastSeqIn = env.seq;
          events.emit('message', { sid: session.sid, transport: session.transport, envelope: env });
          app(session, env);
      }
    }
  };
}
