import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import pLimit from 'p-limit';
import type { CoderDigest, WeeklyDigest } from '../../core/digest.js';
import {
  claimDigestWeek,
  hasTeam,
  markDigestSent,
  releaseDigestWeek,
  type DigestBuilder,
  type DigestDeps,
} from '../../core/digestRun.js';
import type { ManagerRepo } from '../../core/managers/consent.js';
import type { Calendar } from '../../core/calendar.js';
import { LEVEL_NAMES, type Library } from '../../core/library.js';
import type { Logger } from '../../logger.js';
import { asPlainText, type CardRenderer, type CardViews, type RenderedCard } from '../cards.js';
import type { Feature } from '../feature.js';
import type { PersonalAddress, ProactiveMessenger } from '../proactive.js';
import type { Turn } from '../turn.js';
import { noticeView } from '../views.js';

export interface RunSummary {
  week: string;
  sent: number;
  skipped: number;
  failed: number;
  unreachable: number;
  durationMs: number;
}

/** Good and Warning fail text contrast in Teams' light theme; the number itself says how many. */
const HEAT_COLORS = (gaps: number) => (gaps === 0 ? 'Default' : gaps <= 2 ? 'Accent' : 'Attention');

export function digestView(
  lib: Library,
  digest: WeeklyDigest,
  calendar: Calendar,
  opts: { preview?: boolean } = {},
): CardViews['digest'] {
  const areaIds = lib.framework.areas.map((a) => a.id);
  const common = digest.team.gapCountsByArea.filter((a) => digest.team.commonGapAreas.includes(a.areaId));
  return {
    summary: digest.summary,
    title: opts.preview
      ? 'What your line manager sees about you'
      : `Your team's self-assessments, ${calendar.formatWeekOf(digest.week)}`,
    areaIds,
    heatMap: digest.team.heatMap.map((r) => ({
      name: asPlainText(r.coderName),
      cells: r.cells.map((c) => ({ text: String(c.gaps), color: HEAT_COLORS(c.gaps) })),
    })),
    teamLine: common.length
      ? `Most common gaps: ${common.map((a) => `${a.areaId} ${a.title} (${a.coders} coder${a.coders === 1 ? '' : 's'}, ${a.gaps} gaps)`).join('; ')}.`
      : '',
    activities: digest.team.suggestedActivities.map((a) => ({
      text: `${a.text} (${a.servesAreas.join(', ')})`,
    })),
    coders: digest.coders.map((c) => coderRows(c, calendar)),
    footer:
      'Numbers are gap statements (rated Not yet or Developing, or answered No) per area. Only coders who chose to share with you are shown.',
    buttons: opts.preview
      ? []
      : [
          { title: 'Team overview', command: '/team' },
          { title: 'Export', command: '/export' },
        ],
  };
}

function coderRows(c: CoderDigest, calendar: Calendar): CardViews['digest']['coders'][number] {
  const latest = c.latest
    ? `${LEVEL_NAMES[c.latest.level]} self-assessment of ${calendar.formatDay(c.latest.date)}: ${c.latest.percentMet}% met, ${c.latest.totalGaps} gap${c.latest.totalGaps === 1 ? '' : 's'}${c.inProgress ? ' (a newer one is in progress)' : ''}`
    : c.inProgress
      ? 'Self-assessment started, not finished yet'
      : 'No self-assessment yet';
  const changes: { text: string }[] = [];
  if (c.changes.isNew) changes.push({ text: 'New in your digest.' });
  for (const t of c.changes.closed.slice(0, 5)) changes.push({ text: `Closed: ${t}` });
  for (const t of c.changes.opened.slice(0, 5)) changes.push({ text: `New gap: ${t}` });
  return {
    name: asPlainText(c.coderName),
    latest,
    areas: c.latest ? c.latest.areas.map((a) => `${a.areaId} ${a.percentMet}%`).join(' · ') : '',
    gaps: c.gapsByArea.map((g) => ({
      text: `${g.areaId} ${g.title}: ${g.subAreas.map((s) => `${s.label.replace(/^CC\d /, '')} (${s.count})`).join(', ')}`,
    })),
    changes,
    overdue: c.overdue.map((text) => ({ text: `Overdue: ${text}` })),
  };
}

/**
 * The weekly run: each manager with consenting coders gets exactly one digest a week. A run claims
 * the manager's week in storage (eTag), so a second instance or a restart does not resend, and a
 * claim left by a crashed run is taken over after the lease.
 */
export class DigestRunner {
  constructor(
    private readonly deps: DigestDeps & {
      builder: DigestBuilder;
      cards: CardRenderer;
      messenger: ProactiveMessenger;
      log: Logger;
      concurrency?: number;
    },
  ) {}

  async run(now: Date): Promise<RunSummary> {
    const started = performance.now();
    const week = this.deps.calendar.weekOf(now);
    const summary: RunSummary = { week, sent: 0, skipped: 0, failed: 0, unreachable: 0, durationMs: 0 };
    const limit = pLimit(this.deps.concurrency ?? 8);
    const ids = await this.deps.managers.managerIds();
    await Promise.all(
      ids.map((id) =>
        limit(async () => {
          try {
            const outcome = await this.runOne(id, week, now);
            summary[outcome] += 1;
          } catch (e) {
            summary.failed += 1;
            this.deps.log.error(
              { event: 'digest.manager.error', err: { message: (e as Error).message } },
              'digest failed for a manager',
            );
          }
        }),
      ),
    );
    summary.durationMs = Math.round(performance.now() - started);
    this.deps.log.info({ event: 'digest.run', ...summary }, 'weekly digest run finished');
    return summary;
  }

  private async runOne(
    managerId: string,
    week: string,
    now: Date,
  ): Promise<'sent' | 'skipped' | 'failed' | 'unreachable'> {
    const claimId = randomUUID();
    const claimed = await claimDigestWeek(this.deps.managers, { managerId, week, now, claimId });
    if (!claimed) return 'skipped';

    const digest = await this.deps.builder.forManager(claimed, now);
    const card = digest.nothingChanged
      ? this.deps.cards.render(
          'notice',
          noticeView(`Nothing changed this week: ${digest.summary}`, {
            title: `Your team's self-assessments, ${this.deps.calendar.formatWeekOf(week)}`,
            buttons: [{ title: 'See the full digest', command: '/digest' }],
          }),
        )
      : this.deps.cards.render('digest', digestView(this.deps.lib, digest, this.deps.calendar));
    const address: PersonalAddress = claimed.reference
      ? { reference: claimed.reference as PersonalAddress['reference'] }
      : { teamsUserId: claimed.managerTeamsId, tenantId: claimed.tenantId, serviceUrl: claimed.serviceUrl };
    const outcome = await this.deps.messenger.sendCard(address, card);
    if (outcome.ok) {
      await markDigestSent(this.deps.managers, {
        managerId,
        claimId,
        now,
        digest,
        reference: outcome.reference as Record<string, unknown>,
      });
      return 'sent';
    }
    await releaseDigestWeek(this.deps.managers, { managerId, claimId, gone: outcome.gone });
    return outcome.gone ? 'unreachable' : 'failed';
  }
}

/** Short-lived signed links for exports: HMAC over the manager id and expiry, compared in constant time. */
export class ExportLinks {
  constructor(
    private readonly secret: string,
    private readonly ttlMs = 15 * 60 * 1000,
  ) {}

  /**
   * Links for another download, signed with a key derived from the same secret: a token made for
   * one route is then worthless at another, though only one secret is configured.
   */
  static forPurpose(secret: string, purpose: string, ttlMs?: number): ExportLinks {
    return new ExportLinks(
      createHmac('sha256', secret).update(`purpose:${purpose}`).digest('base64url'),
      ttlMs,
    );
  }

  sign(managerId: string, now: Date): string {
    const expires = now.getTime() + this.ttlMs;
    const payload = Buffer.from(JSON.stringify({ m: managerId, e: expires })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string, now: Date): string | undefined {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const { m, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        m: string;
        e: number;
      };
      return typeof m === 'string' && typeof e === 'number' && e > now.getTime() ? m : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** /digest, /team and /export for managers; the coder's preview of what their manager sees. */
export function digestFeature(deps: {
  lib: Library;
  managers: ManagerRepo;
  builder: DigestBuilder;
  exportLink?: (managerId: string, now: Date) => string | undefined;
}): Feature<'digest' | 'team' | 'export'> & {
  previewFor: (turn: Turn, coderKey: string) => Promise<RenderedCard>;
} {
  const managerDoc = async (turn: Turn) => {
    const doc = await deps.managers.manager(turn.activity.from?.id ?? '');
    return hasTeam(doc) ? doc : undefined;
  };
  const noTeam = (turn: Turn) =>
    turn.send(
      'notice',
      noticeView(
        'No coders share their self-assessment results with you yet. A coder names you with /manager, and you accept.',
      ),
    );

  return {
    previewFor: async (turn, coderKey) => {
      const coder = await deps.builder.forCoder(coderKey, turn.userName || 'You', turn.now);
      const digest: WeeklyDigest = {
        week: turn.calendar.weekOf(turn.now),
        managerName: '',
        coders: [coder],
        team: { heatMap: [], gapCountsByArea: [], commonGapAreas: [], suggestedActivities: [] },
        nothingChanged: false,
        summary: 'This is what your line manager sees about you in their weekly digest.',
        snapshots: [],
      };
      return turn.render('digest', digestView(deps.lib, digest, turn.calendar, { preview: true }));
    },
    commands: {
      digest: async (turn) => {
        const doc = await managerDoc(turn);
        if (!doc) return noTeam(turn);
        const digest = await deps.builder.forManager(doc, turn.now);
        await turn.send('digest', digestView(deps.lib, digest, turn.calendar));
      },
      team: async (turn) => {
        const doc = await managerDoc(turn);
        if (!doc) return noTeam(turn);
        const digest = await deps.builder.forManager(doc, turn.now);
        const view = digestView(deps.lib, digest, turn.calendar);
        await turn.send('digest', {
          ...view,
          title: 'Team overview',
          coders: view.coders.map((c) => ({ ...c, gaps: [], changes: [] })),
          buttons: [
            { title: 'Full digest', command: '/digest' },
            { title: 'Export', command: '/export' },
          ],
        });
      },
      export: async (turn) => {
        const doc = await managerDoc(turn);
        if (!doc) return noTeam(turn);
        const url = deps.exportLink?.(doc.managerTeamsId, turn.now);
        if (!url) {
          return turn.send(
            'notice',
            noticeView(
              'Exports need BOT_PUBLIC_URL and EXPORT_LINK_SECRET to be configured. Ask your administrator.',
            ),
          );
        }
        await turn.send('links', {
          summary: "Your team's statement-level results are ready to download.",
          title: "Your team's results",
          text: 'Statement-level results of the coders who share with you. The links work for 15 minutes; do not forward them, and keep the files as you would any staff record.',
          facts: [],
          note: '',
          links: [
            { title: 'Download CSV', url: `${url}&format=csv` },
            { title: 'Download Excel', url: `${url}&format=xlsx` },
          ],
        });
      },
    },
  };
}
