// Serves the demo page (demo/public at `/`) and the client's UMD bundle from
// dist/, so the demo needs nothing but this server. dist/ exists only after a
// build; until then the bundle answers 404.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { reply } from './http-util.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const BUNDLES = ['/realtime.umd.min.js', '/realtime.umd.js', '/realtime.umd.min.js.map', '/realtime.umd.js.map'];

/** Returns `(req, res)` that answers from the files, or 404. */
export function createStatic({ publicDir, distDir }) {
  const pub = resolve(publicDir);
  const dist = resolve(distDir);

  return async function serve(req, res, pathname) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { allow: 'GET, HEAD' });
    const file = BUNDLES.includes(pathname) ? join(dist, pathname) : inside(pub, pathname);
    if (!file) return reply(res, 404);
    try {
      let path = file;
      let info = await stat(path);
      if (info.isDirectory()) info = await stat((path = join(path, 'index.html')));
      if (!info.isFile()) return reply(res, 404);
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] || 'application/octet-stream',
        'content-length': info.size,
        // A rebuilt bundle or an edited page shows on reload.
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(path)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      reply(res, 404);
    }
  };
}

/** The file under `root` that `pathname` names, or null if it would escape `root`. */
function inside(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, '.' + decoded);
  return file === root || file.startsWith(root + sep) ? file : null;
}
