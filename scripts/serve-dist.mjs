// A small static file server for the built app, bound to 127.0.0.1 only.
// Used by scripts/serve (for people) and by the end-to-end tests (with port 0).
//
//   node scripts/serve-dist.mjs DIR [PORT]
//
// index.html is served with `no-cache` so a new build is picked up on the next visit;
// hashed assets (name-<hash>.ext) are immutable.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};
/** A name carrying its content's hash (Trunk's `name-<16 hex>`): the file never changes. The
 * service worker gets this pattern too (scripts/make-sw.mjs); the hub has it as `is_hashed`. */
export const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

export async function startStaticServer(dir, port = 0) {
  let root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = normalize(join(root, path === '/' ? 'index.html' : path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${error}\n`);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}`,
    /** Serves another build from now on: how a deployment of a new version looks to a phone. */
    setRoot: (next) => {
      root = resolve(next);
    },
    /** Stops serving at once, open connections included: the network is gone. */
    close: () =>
      new Promise((ok) => {
        server.close(ok);
        server.closeAllConnections();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const { url } = await startStaticServer(dir, Number(port));
  console.log(`Verval is served at ${url}/  (Ctrl+C to stop)`);
}
