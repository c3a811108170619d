// The reference server's fault-injection mounts, its lifecycle (close and
// listen again) and its static files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSse, openWs, poll, startServer } from './helpers';

describe('fault injection', () => {
  it('mounts the service under /x/<faults>/realtime only when faults are on', async () => {
    const off = await startServer();
    expect((await poll(off.url + '/x/ws-refuse/realtime', 'v=1')).status).toBe(404);
    const { url } = await startServer({ faults: true });
    expect((await poll(url + '/x/ws-refuse/realtime', 'v=1')).status).toBe(200);
    expect((await poll(url + '/x/no-such-fault/realtime', 'v=1')).status).toBe(404);
  });

  it('ws-refuse answers the upgrade with 403; sse-refuse and poll-refuse with 503', async () => {
    const { url } = await startServer({ faults: true });
    const base = url + '/x/ws-refuse+sse-refuse+poll-refuse/realtime';
    await expect(openWs(base)).rejects.toMatchObject({ status: 403 });
    expect((await fetch(base + '/sse?v=1')).status).toBe(503);
    expect((await poll(base, 'v=1')).status).toBe(503);
  });

  it('ws-silent opens and says nothing; sse-buffer sends headers and nothing else', async () => {
    const { srv, url } = await startServer({ faults: true });
    const base = url + '/x/ws-silent+sse-buffer/realtime';
    const w = await openWs(base);
    w.send({ type: '$ping' });
    const s = await openSse(base);
    const quiet = await Promise.allSettled([w.inbox.next(undefined, 300), s.inbox.next(undefined, 1)]);
    expect(quiet.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(srv.stats().sessions).toBe(0);
  });

  it('ws-hang never answers the upgrade, and close() still ends promptly', async () => {
    const { srv, port } = await startServer({ faults: true });
    const socket = connect(port, '127.0.0.1');
    const ended = new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => resolve(got));
    });
    socket.write(
      'GET /x/ws-hang/realtime/ws?v=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const early = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still open'), 200))]);
    expect(early).toBe('still open');
    await srv.close();
    expect(await ended).toBe('');
  });
});

describe('lifecycle and static files', () => {
  it('close() ends open sockets, streams and held polls at once; listen() again on the same port works', async () => {
    const { srv, port, base } = await startServer();
    const w = await openWs(base);
    const s = await openSse(base);
    const sid = ((await poll(base, 'v=1')).body as any)[0].data.sid;
    const held = poll(base, 'sid=' + sid).catch(() => 'failed');
    await expect.poll(() => srv.stats().sessions, { timeout: 2000, interval: 10 }).toBe(3);
    await srv.close();
    await w.closed;
    await s.errored;
    await held;
    expect(w.inbox.queued.some((e) => e.type == '$close')).toBe(false);
    expect(srv.stats().sessions).toBe(0);
    expect((await srv.listen()).port).toBe(port);
    expect((await poll(base, 'v=1')).status).toBe(200);
  });

  it('serves the demo page and the UMD bundle with their content types, 404 when missing', async () => {
    const publicDir = mkdtempSync(join(tmpdir(), 'rt-public-'));
    const distDir = mkdtempSync(join(tmpdir(), 'rt-dist-'));
    writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(publicDir, 'app.js'), 'console.log(1)');
    const { url } = await startServer({ publicDir, distDir });
    const page = await fetch(url + '/');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('demo');
    expect((await fetch(url + '/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(url + '/realtime.umd.min.js')).status).toBe(404);
    writeFileSync(join(distDir, 'realtime.umd.min.js'), 'var Realtime={}');
    const bundle = await fetch(url + '/realtime.umd.min.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(url + '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await fetch(url + '/nope.html')).status).toBe(404);
  });
});
