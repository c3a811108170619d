// The demo page's script: plain JavaScript, no bundler. `Realtime` comes from /realtime.umd.min.js.
// Query presets: ?transports=sse,long-polling&path=/x/ws-refuse/realtime&timeout=4000&autoconnect=1
// and native=1 to give the client the browser's own WebSocket/EventSource/fetch ("Drop" then does nothing).
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const ALL = ['websocket', 'sse', 'long-polling'];
  const CAP = 300;
  const query = new URLSearchParams(location.search);

  /** For tests and the console: the live client, the log and the client's events since the last connect. */
  const demo = (window.demo = { client: null, log: [], events: [], timeToOpen: null, connect, drop, echo, close });

  if (!window.Realtime) {
    banner('/realtime.umd.min.js did not load: run `npm run build` (or `npm run demo`) first.');
    return;
  }

  // ---- "Drop connection": the platform objects handed to the client, with a way to kill the live ones.
  // A dropped WebSocket is closed from this side; a stream reports an error; requests in flight fail.
  // To the client each looks like a lost network connection, so it reconnects.
  const live = { sockets: new Set(), streams: new Set(), requests: new Set() };
  const NativeWebSocket = window.WebSocket;
  const NativeEventSource = window.EventSource;
  const nativeFetch = window.fetch.bind(window);

  class DroppableWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      live.sockets.add(this);
      this.addEventListener('close', () => live.sockets.delete(this));
    }
  }
  class DroppableEventSource extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      live.streams.add(this);
    }
    close() {
      live.streams.delete(this);
      super.close();
    }
  }
  function droppableFetch(input, init = {}) {
    const ctl = new AbortController();
    const outer = init.signal;
    if (outer) {
      if (outer.aborted) ctl.abort(outer.reason);
      else outer.addEventListener('abort', () => ctl.abort(outer.reason), { once: true });
    }
    live.requests.add(ctl);
    return nativeFetch(input, { ...init, signal: ctl.signal }).finally(() => live.requests.delete(ctl));
  }

  function drop() {
    const n = live.sockets.size + live.streams.size + live.requests.size;
    // Logged first: the client hears of the drop synchronously and logs its reaction at once.
    log('warn', n ? 'dropping ' + n + ' live connection(s)' : 'nothing to drop' + (query.get('native') == '1' ? ' (native=1)' : ''));
    for (const ws of live.sockets) if (ws.readyState < 2) ws.close(3000, 'demo: connection dropped');
    for (const es of [...live.streams]) {
      es.close();
      es.dispatchEvent(new Event('error'));
    }
    for (const ctl of [...live.requests]) ctl.abort(new TypeError('demo: connection dropped'));
    return n;
  }

  // ---- Settings: from the query string into the form, and from the form into client options.
  const boxes = [...document.querySelectorAll('input[name=transport]')];
  if (query.has('transports')) {
    const want = query.get('transports').split(',');
    for (const b of boxes) b.checked = want.includes(b.value);
  }
  if (query.has('path')) {
    const path = query.get('path');
    if (![...$('path').options].some((o) => o.value == path)) $('path').add(new Option(path, path));
    $('path').value = path;
  }
  if (query.has('timeout')) $('timeout').value = query.get('timeout');
  $('name').value = query.get('name') || 'guest-' + Math.random().toString(36).slice(2, 6);

  function settings() {
    const transports = ALL.filter((t) => boxes.some((b) => b.value == t && b.checked));
    return { path: $('path').value, transports, timeout: Number($('timeout').value) || 4000 };
  }

  // ---- The client.
  let startedAt = 0; // connect(): events are timed from here
  let t0 = 0; // the current attempt (connect() or the last `reconnecting`): `open` is timed from here
  let reconnects = 0;
  let reopened = null; // ms the last reconnection took

  function connect() {
    const s = settings();
    if (demo.client) close();
    const q = new URLSearchParams(location.search);
    q.set('transports', s.transports.join(','));
    q.set('path', s.path);
    history.replaceState(null, '', '?' + q);
    const options = { transports: s.transports, connectTimeout: s.timeout };
    if (query.get('native') != '1') Object.assign(options, { WebSocket: DroppableWebSocket, EventSource: DroppableEventSource, fetch: droppableFetch });
    let client;
    try {
      client = new Realtime.RealtimeClient(s.path, options);
    } catch (e) {
      log('error', String(e));
      return;
    }
    demo.client = client;
    demo.events = [];
    demo.timeToOpen = null;
    reconnects = 0;
    reopened = null;
    $('endpoint').textContent = s.path;
    $('tto').textContent = '…';
    listen(client);
    log('info', 'connecting to ' + s.path + ' with ' + s.transports.join(', '));
    startedAt = t0 = performance.now();
    client.connect().catch((e) => log('error', 'connect() rejected: ' + e.message));
    render();
  }

  function close() {
    if (demo.client && demo.client.state != 'closed') demo.client.close();
  }

  function listen(client) {
    const record = (type, data) => {
      if (client != demo.client) return;
      demo.events.push({ t: Math.round(performance.now() - startedAt), type, data });
      if (demo.events.length > CAP * 3) demo.events.shift();
    };
    const errorInfo = (e) => ({ name: e.name, message: e.message, code: e.code, transport: e.transport });
    client.on('state', (s) => {
      record('state', s);
      if (s.to == 'reconnecting' && s.from == 'open') reconnects++;
      render();
    });
    client.on('open', (e) => {
      const ms = Math.round(performance.now() - t0);
      if (demo.timeToOpen == null) demo.timeToOpen = ms;
      else reopened = ms;
      record('open', { transport: e.transport, ms });
      for (const f of e.failed) log('warn', 'fell back: ' + f.message);
      log('ok', 'open via ' + e.transport + ' after ' + ms + ' ms' + (e.resumed ? ', session resumed' : ''));
      render();
    });
    client.on('transport', (name) => record('transport', name));
    client.on('reconnecting', (r) => {
      t0 = performance.now();
      record('reconnecting', { attempt: r.attempt, delay: r.delay, error: errorInfo(r.error) });
      const when = r.delay == Infinity ? 'when the browser is back online' : 'in ' + r.delay + ' ms';
      log('warn', 'reconnecting (attempt ' + r.attempt + ', ' + when + '): ' + r.error.message);
    });
    client.on('reset', (r) => {
      record('reset', r);
      log('warn', 'session not resumed (' + r.reason + '): messages may have been missed; ' + r.resent + ' unacknowledged message(s) sent again');
    });
    client.on('error', (e) => {
      record('error', errorInfo(e));
      log('error', e.name + ': ' + e.message);
    });
    client.on('close', (c) => {
      record('close', c);
      log('info', 'closed' + (c.code ? ' with code ' + c.code : '') + (c.reason ? ': ' + c.reason : ''));
      render();
    });
    client.on('message', (m) => {
      record('message', m);
      if (m.type != 'chat') log('in', '← ' + m.type + ' ' + JSON.stringify(m.data));
    });
    client.onMessage('chat', (m) => addChat(m.data || {}));
  }

  // ---- Rendering.
  function render() {
    const c = demo.client;
    const state = c ? c.state : 'idle';
    $('pill').textContent = $('state').textContent = state;
    $('pill').className = 'pill ' + state;
    $('transport').textContent = (c && c.transport) || '–';
    $('sid').textContent = c && c.sid ? c.sid.slice(0, 8) + '…' : '–';
    $('rtt').textContent = c && c.rtt != null ? c.rtt + ' ms' : '–';
    if (demo.timeToOpen != null) $('tto').textContent = demo.timeToOpen + ' ms';
    else if (!c || state == 'closed') $('tto').textContent = '–';
    $('reconnects').textContent = reconnects + (reopened != null ? ' (last took ' + reopened + ' ms)' : '');
    $('connect').textContent = c && state != 'closed' ? 'Reconnect' : 'Connect';
  }
  setInterval(render, 1000);

  function time(t) {
    const d = new Date(t);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function append(list, cls, t, parts) {
    const el = $(list);
    const stick = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
    const li = document.createElement('li');
    li.className = cls;
    const ts = document.createElement('time');
    ts.textContent = time(t);
    li.append(ts, ...parts);
    el.append(li);
    while (el.children.length > CAP) el.firstChild.remove();
    if (stick) el.scrollTop = el.scrollHeight;
  }

  function log(kind, text) {
    const entry = { t: Date.now(), kind, text };
    demo.log.push(entry);
    if (demo.log.length > CAP) demo.log.shift();
    append('log', kind, entry.t, [' ' + text]);
  }

  function addChat(data) {
    const who = document.createElement('b');
    who.textContent = String(data.name || data.from || 'someone');
    const mine = who.textContent == $('name').value;
    append('chat', mine ? 'mine' : '', Date.now(), [who, ' ' + String(data.text != null ? data.text : JSON.stringify(data))]);
  }

  function banner(text) {
    $('banner').textContent = text;
    $('banner').hidden = false;
  }

  // ---- Sending.
  function send(type, data) {
    try {
      if (!demo.client) throw new Error('not connected: press Connect');
      demo.client.send(type, data);
      if (type != 'chat') log('out', '→ ' + type + ' ' + JSON.stringify(data));
      return true;
    } catch (e) {
      log('error', e.message);
      return false;
    }
  }

  /** Sends an echo and resolves with the round trip in ms when it comes back. */
  function echo(text = 'ping ' + new Date().toISOString()) {
    return new Promise((resolve, reject) => {
      const c = demo.client;
      const sent = performance.now();
      const off = c && c.onMessage('echo', (m) => {
        if (!m.data || m.data.text !== text) return;
        off();
        const ms = Math.round(performance.now() - sent);
        log('ok', 'echo came back in ' + ms + ' ms');
        resolve({ data: m.data, ms });
      });
      if (!send('echo', { text })) {
        if (off) off();
        reject(new Error('echo not sent'));
      }
    });
  }

  $('settings').addEventListener('submit', (e) => {
    e.preventDefault();
    connect();
  });
  $('drop').addEventListener('click', drop);
  $('close').addEventListener('click', close);
  $('echo').addEventListener('click', () => echo().catch(() => {}));
  $('time').addEventListener('click', () => {
    const c = demo.client;
    if (!c || c.state == 'idle' || c.state == 'closed') return log('error', 'not connected');
    const t = performance.now();
    log('out', '→ request time');
    c.request('time', null, { timeout: 5000 }).then(
      (now) => log('ok', '← server time ' + new Date(now).toISOString() + ' (reply in ' + Math.round(performance.now() - t) + ' ms)'),
      (e) => log('error', 'request failed: ' + e.name + ': ' + e.message),
    );
  });
  $('clear').addEventListener('click', () => {
    $('log').textContent = '';
    demo.log.length = 0;
  });
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (text && send('chat', { name: $('name').value, text })) $('text').value = '';
  });

  render();
  if (query.get('autoconnect') == '1') connect();
})();
