// Compiled by `tsc -p test/tsconfig.json` (part of `npm test`): wrong event names or payloads must not compile.
import { RealtimeClient, type TransportName } from '../../src';

const c = new RealtimeClient('http://localhost/realtime');
c.on('open', (e) => {
  const t: TransportName = e.transport;
  void t;
});
c.on('reconnecting', ({ attempt, delay }) => attempt + delay);
c.on('state', ({ from, to }) => from === 'idle' && to === 'connecting');
c.on('error', (e) => e.message);
c.onMessage<{ text: string }>('chat', (m) => m.data?.text.toUpperCase());

// @ts-expect-error: no such event
c.on('opened', () => {});
// @ts-expect-error: `open` carries an object, not a string
c.on('open', (e: string) => e);
// @ts-expect-error: the state is read-only
c.state = 'open';
// @ts-expect-error: transports are named
new RealtimeClient('http://x', { transports: ['ws'] });
