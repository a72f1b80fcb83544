import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { App } from './app.js';
import type { Logger } from './logger.js';
import type { ExportLinks } from './exportLinks.js';
import { toCsv, toXlsx } from './teams/exportFiles.js';
import { csvTable } from './core/csv.js';
import { PLAN_EXPORT_COLUMNS } from './core/plan/plan.js';
import { collectMyData } from './core/myData/myData.js';
import { questionLogCsv, summariseQuestionLog } from './core/questions/questionLog.js';

/** Compares secrets in constant time (hashing first so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export interface RouteDeps {
  app: App;
  log: Logger;
  clock: () => Date;
  digestSecret?: string;
  exportLinks?: ExportLinks;
  /** Signs content owners' question log downloads (ExportLinks.forPurpose). */
  unansweredLinks?: ExportLinks;
  /** Signs a person's own data download (ExportLinks.forPurpose), for /mydata. */
  myDataLinks?: ExportLinks;
}

/**
 * POST /api/digest and POST /api/reminders: an external scheduler's triggers for several instances
 * behind a load balancer (Authorization: Bearer DIGEST_TRIGGER_SECRET; anything else is 401 and sends
 * nothing).
 * GET /api/export: a manager's signed, short-lived download link.
 * GET /api/unanswered.csv: a content owner's signed, short-lived download of the question log.
 * GET /api/mydata: a person's signed, short-lived download of everything held about them, as JSON.
 */
export function addRoutes(server: Server, deps: RouteDeps): void {
  /** Whether the request carries the scheduler's bearer secret; answers 401 when it does not. */
  const authorised = (req: Request, res: Response): boolean => {
    // restify gives the default when the header is missing (its types say a string always).
    const header = req.header('authorization', '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!deps.digestSecret || !token || !sameSecret(token, deps.digestSecret)) {
      res.send(401, { error: 'unauthorized' });
      return false;
    }
    return true;
  };

  server.post('/api/digest', async (req, res) => {
    if (!authorised(req, res)) return;
    if (!deps.app.digestRunner) {
      res.send(503, { error: 'no connector to send through' });
      return;
    }
    const summary = await deps.app.digestRunner.run(deps.clock());
    res.send(200, summary);
  });

  server.post('/api/reminders', async (req, res) => {
    if (!authorised(req, res)) return;
    if (!deps.app.reminderRunner) {
      res.send(503, { error: 'no connector to send through' });
      return;
    }
    const summary = await deps.app.reminderRunner.run(deps.clock());
    res.send(200, summary);
  });

  server.get('/api/export', async (req, res) => {
    const query = new URL(req.url ?? '', 'http://localhost').searchParams;
    const managerId = deps.exportLinks?.verify(query.get('token') ?? '', deps.clock());
    if (!managerId) {
      res.send(403, { error: 'This download link is not valid or has expired. Type /export again.' });
      return;
    }
    const doc = await deps.app.managers.manager(managerId);
    if (!doc) {
      res.send(404, { error: 'nothing to export' });
      return;
    }
    const rows = await deps.app.digests.exportFor(doc);
    const plans = await deps.app.digests.planExportFor(doc);
    const stamp = deps.clock().toISOString().slice(0, 10);
    deps.log.info(
      { event: 'export.download', rows: rows.length, format: query.get('format') },
      'export served',
    );
    if (query.get('format') === 'xlsx') {
      const body = await toXlsx(rows, plans);
      res.writeHead(200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="team-results-${stamp}.xlsx"`,
        'cache-control': 'no-store',
      });
      res.end(body);
      return;
    }
    const plansOnly = query.get('format') === 'plans-csv';
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="team-${plansOnly ? 'plans' : 'results'}-${stamp}.csv"`,
      'cache-control': 'no-store',
    });
    res.end(`\ufeff${plansOnly ? csvTable(PLAN_EXPORT_COLUMNS, plans) : toCsv(rows)}`);
  });

  server.get('/api/mydata', async (req, res) => {
    const query = new URL(req.url ?? '', 'http://localhost').searchParams;
    const now = deps.clock();
    const signed = deps.myDataLinks?.verify(query.get('token') ?? '', now);
    const [userKey, teamsId] = signed?.split('\n') ?? [];
    if (!userKey) {
      res.send(403, { error: 'This download link is not valid or has expired. Type /mydata again.' });
      return;
    }
    const { app } = deps;
    const data = await collectMyData(
      {
        assessments: app.assessments,
        eligibility: app.eligibility,
        managers: app.managers,
        reviews: app.reviews,
        plans: app.plans,
        refs: app.refs,
        users: app.users,
        reminders: app.reminders,
      },
      userKey,
      teamsId || undefined,
    );
    deps.log.info({ event: 'mydata.download' }, 'own data served');
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="my-data-${app.calendar.today(now)}.json"`,
      'cache-control': 'no-store',
    });
    res.end(JSON.stringify(data, null, 2));
  });

  server.get('/api/unanswered.csv', async (req, res) => {
    const query = new URL(req.url ?? '', 'http://localhost').searchParams;
    const now = deps.clock();
    const ownerId = deps.unansweredLinks?.verify(query.get('token') ?? '', now);
    // Checked again at download: someone taken off CONTENT_OWNERS cannot use a link made before.
    if (!ownerId || !deps.app.contentOwners.has(ownerId)) {
      res.send(403, { error: 'This download link is not valid or has expired. Type /unanswered again.' });
      return;
    }
    const today = deps.app.calendar.today(now);
    const rows = summariseQuestionLog(await deps.app.questionLog.list(today, deps.app.questionLogDays));
    deps.log.info({ event: 'unanswered.download', rows: rows.length }, 'question log served');
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="unanswered-questions-${today}.csv"`,
      'cache-control': 'no-store',
    });
    res.end(`\ufeff${questionLogCsv(rows)}`);
  });
}
