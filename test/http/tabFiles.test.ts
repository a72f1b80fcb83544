import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import restify, { type Server } from 'restify';
import { addTabFiles } from '../../bot/tabs/tabFiles.js';
import { listen } from '../../bot/server.js';

/** A request written by hand, so paths like /tabs/../x reach the server exactly as sent. */
function rawGet(port: number, target: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const extra = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        ),
        body: rest.join('\r\n\r\n'),
      });
    });
  });
}

describe('the tabs’ files under /tabs/', () => {
  let dir: string;
  let server: Server;
  let port: number;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cab-tabfiles-'));
    await writeFile(path.join(dir, 'progress.html'), '<!doctype html><title>My progress</title>');
    await writeFile(path.join(dir, 'progress-AB12CD34.js'), 'console.log("progress");');
    await writeFile(path.join(dir, 'tabs-ZZ99YY88.css'), 'body{margin:0}');
    // Beside the tabs' directory: what a path with ".." would reach.
    await writeFile(path.join(dir, '..', 'cab-tabfiles-secret.txt'), 'not for the web');
    server = restify.createServer();
    addTabFiles(server, dir);
    port = await listen(server, 0, '127.0.0.1');
  });

  after(async () => {
    await new Promise<void>((r) => {
      server.close(() => {
        r();
      });
    });
    await rm(dir, { recursive: true, force: true });
    await rm(path.join(dir, '..', 'cab-tabfiles-secret.txt'), { force: true });
  });

  it('serves a page as HTML that Teams may frame and the browser asks for again each time', async () => {
    const res = await rawGet(port, '/tabs/progress.html');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(
      res.headers['content-security-policy'] ?? '',
      /frame-ancestors [^;]*https:\/\/teams\.microsoft\.com/,
    );
    assert.match(res.headers['content-security-policy'] ?? '', /script-src 'self'/);
    assert.match(res.body, /My progress/);
  });

  it('lets browsers keep hashed scripts and styles, with their own content types', async () => {
    const js = await rawGet(port, '/tabs/progress-AB12CD34.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const css = await rawGet(port, '/tabs/tabs-ZZ99YY88.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  });

  it('answers 304 to a browser that has the page already', async () => {
    const first = await rawGet(port, '/tabs/progress.html');
    const again = await rawGet(port, '/tabs/progress.html', { 'If-None-Match': first.headers.etag ?? '' });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  it('never serves anything outside its directory, however the path is written', async () => {
    for (const target of [
      '/tabs/../cab-tabfiles-secret.txt',
      '/tabs/%2e%2e/cab-tabfiles-secret.txt',
      '/tabs/..%2fcab-tabfiles-secret.txt',
      '/tabs/%2e%2e%2fcab-tabfiles-secret.txt',
      '/tabs/..\\cab-tabfiles-secret.txt',
      '/tabs//etc/passwd',
      '/tabs/.hidden.js',
      '/tabs/missing.html',
      '/tabs/',
    ]) {
      const res = await rawGet(port, target);
      assert.ok(res.status === 404 || res.status === 400, `${target} answered ${res.status}`);
      assert.doesNotMatch(res.body, /not for the web/, target);
    }
  });
});
