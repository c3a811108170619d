// The demo's application: the message types the reference server understands
// beyond the protocol itself. A real server puts its own logic here.

// Requests (PROTOCOL.md §5.5): each maps the request's `data` to `{ data }` or `{ error }`.
const REQUESTS = {
  time: () => ({ data: Date.now() }),
  sum: (data) =>
    Array.isArray(data) && data.every((n) => typeof n == 'number' && Number.isFinite(n))
      ? { data: data.reduce((a, b) => a + b, 0) }
      : { error: { code: 'bad_request', message: 'data must be an array of numbers' } },
};

/**
 * - `echo`: answered to its sender only, as `echo` with the same `data`; with an `id`, that answer
 *   carries `re` and is also the reply.
 * - `chat`: broadcast to every session, the sender included, as `chat` with the same `data`; with an
 *   `id`, the sender also gets the reply `{ type: 'chat', data: null, re }` once the broadcast is sent.
 * - requests, i.e. any other type with a string `id`: `time` (the server's clock in ms), `sum` (of an
 *   array of numbers, else the error `bad_request`); other types get the error `unknown_request`.
 * Other types without `id` are ignored: the protocol leaves application types to the application.
 */
export function createDemoApp(sessions) {
  return (session, env) => {
    const isRequest = typeof env.id == 'string';
    if (env.type == 'echo') session.send('echo', env.data, isRequest ? { re: env.id } : undefined);
    else if (env.type == 'chat') {
      sessions.broadcast('chat', env.data);
      if (isRequest) session.reply(env, { data: null });
    } else if (isRequest) session.reply(env, answer(env));
  };
}

function answer({ type, data }) {
  if (Object.hasOwn(REQUESTS, type)) return REQUESTS[type](data);
  return { error: { code: 'unknown_request', message: `this server answers no request of type "${type}"` } };
}
