import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A file name and nothing else: no slash, no "..", no encoded characters. The whole of a request's
 * path after /tabs/ must match it, so no request can reach outside the tabs' own directory.
 */
const FILE_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z0-9]+)*\.(?:html|js|css|map|txt)$/i;
/** esbuild's content-hashed names: a new build gives a new name, so a browser may keep these for good. */
const HASHED = /-[A-Z0-9]{8}\.(?:js|css)(?:\.map)?$|^shared-/;

/** Who may frame the pages: Teams on the web, desktop and phones, and Microsoft 365 and Outlook. */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
].join(' ');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // The Teams client library fetches Teams' own origins from here, and falls back to a list it carries.
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors ${FRAME_ANCESTORS}`,
].join('; ');

interface Served {
  body: Buffer;
  etag: string;
}

/**
 * GET /tabs/<file>: the personal tabs' pages, scripts and styles, built by scripts/buildTabs.ts
 * into `dir` (dist/tabs). Pages are asked for again each time (no-cache, with an ETag, so an
 * unchanged page is a 304); hashed scripts and styles are kept for a year, by browsers and in memory
 * here (a new build gives new names). Pages are read each time, so a rebuild shows at once.
 */
export function addTabFiles(server: Server, dir: string): void {
  const cache = new Map<string, Served>();

  const serve = async (req: Request, res: Response): Promise<void> => {
    const rawPath = (req.url ?? '').split('?')[0] ?? '';
    const name = rawPath.startsWith('/tabs/') ? rawPath.slice('/tabs/'.length) : '';
    const type = CONTENT_TYPES[path.extname(name).toLowerCase()];
    if (!FILE_NAME.test(name) || !type) {
      res.send(404, { error: 'not found' });
      return;
    }
    let file = cache.get(name);
    if (!file) {
      const body = await readFile(path.join(dir, name)).catch(() => undefined);
      if (!body) {
        res.send(404, { error: 'not found' });
        return;
      }
      file = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      if (HASHED.test(name)) cache.set(name, file);
    }
    const headers: Record<string, string> = {
      'content-type': type,
      etag: file.etag,
      'cache-control': HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (type.startsWith('text/html')) headers['content-security-policy'] = CSP;
    if (req.header('if-none-match', '') === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(file.body.length) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  server.get('/tabs/*', serve);
  server.head('/tabs/*', serve);
}
