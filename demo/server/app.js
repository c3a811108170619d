// The demo's application: the message types the reference server understands
// beyond the protocol itself. A real server puts its own logic here.

/**
 * - `echo`: answered to its sender only, as `echo` with the same `data`.
 * - `chat`: broadcast to every session, the sender included, as `chat` with the same `data`.
 * Other types are ignored: the protocol leaves application types to the application.
 */
export function createDemoApp(sessions) {
  return (session, env) => {
    if (env.type == 'echo') session.send('echo', env.data);
    else if (env.type == 'chat') sessions.broadcast('chat', env.data);
  };
}
