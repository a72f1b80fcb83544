import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import { envelopeProblem } from './activityEnvelope.js';
import type { Logger } from './logger.js';

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  log: Logger;
  /** Largest request body accepted, in bytes; Teams activities are far smaller. */
  maxBodyBytes?: number;
  /** Extra routes (the digest trigger, export downloads) added by the composition root. */
  routes?: (server: Server) => void;
  health?: () => Record<string, unknown>;
}

/**
 * restify with the CloudAdapter at POST /api/messages and GET /healthz. Bad bodies are answered
 * here (400 malformed JSON, 413 too large) before they reach the adapter.
 */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'coding-auditor-bot', handleUncaughtExceptions: false });
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: deps.maxBodyBytes ?? 256 * 1024,
      mapParams: false,
      rejectUnknown: true,
    }),
  );

  server.post('/api/messages', async (req, res) => {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      res.send(400, { error: 'Expected a JSON activity' });
      return;
    }
    const problem = envelopeProblem(body);
    if (problem) {
      res.send(400, { error: `Not a valid activity (${problem})` });
      return;
    }
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok', ...(deps.health?.() ?? {}) });
    next();
  });

  deps.routes?.(server);

  // restify's types leave this event's arguments untyped; an error here is restify's own HttpError.
  server.on(
    'restifyError',
    (req: Request, _res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
      deps.log.warn(
        { event: 'http.error', path: req.path(), status: err.statusCode, code: err.name },
        'request refused',
      );
      cb();
    },
  );
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      // restify's own address() is typed as always an object; Node's says what it can be.
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
