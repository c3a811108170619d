// Small HTTP helpers shared by the endpoints.
import { STATUS_CODES } from 'node:http';

/** Ends `res` with `status`, `headers` and a short text body (the status text when none is given). */
export function reply(res, status, headers = {}, body = STATUS_CODES[status] || '') {
  const text = typeof body == 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Refuses a WebSocket upgrade with an HTTP status, before any WebSocket
 * exists: the browser sees the handshake fail (close code 1006).
 */
export function rejectUpgrade(socket, status, headers = {}) {
  if (!socket.writable) return socket.destroy();
  const text = STATUS_CODES[status] || '';
  const lines = [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Type: text/plain', `Content-Length: ${Buffer.byteLength(text)}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.end(lines.join('\r\n') + '\r\n\r\n' + text);
}

/**
 * Reads a request body of at most `max` bytes. Resolves `{ text }`, or
 * `{ tooLarge: bytes }` once the whole oversize body has been read and
 * discarded: answering 413 before the upload ends would make the browser see a
 * reset connection instead of the status. A body so large that draining it
 * is not worth it (16 × max) ends the connection.
 */
export function readBody(req, max) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > max * 16) {
      req.socket.destroy();
      return reject(new Error(`body of ${declared} bytes refused`));
    }
    const chunks = [];
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes <= max) chunks.push(chunk);
      else if (bytes > max * 16) req.socket.destroy();
    });
    req.on('end', () => resolve(bytes > max ? { tooLarge: bytes } : { text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed before its body ended')));
  });
}
