// A Bot Connector stand-in for the bench, in its own process: answers every POST at once with a
// resource id, as the real connector does, and counts what it received (GET /count).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let activities = 0;
let conversations = 0;
let first = 0;
let last = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ activities, conversations, first, last }));
    return;
  }
  if (req.method === 'POST' && req.url === '/reset') {
    activities = conversations = first = last = 0;
    res.writeHead(200).end('{}');
    return;
  }
  req.resume();
  req.on('end', () => {
    const now = Date.now();
    if (!first) first = now;
    last = now;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(req.url ?? '')) {
      conversations++;
      res.end(JSON.stringify({ id: `a:bench-created-${conversations}` }));
    } else {
      activities++;
      res.end(JSON.stringify({ id: `m-${activities}` }));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`BENCH_LISTENING ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
