import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import {
  claimDigestWeek,
  markDigestSent,
  releaseDigestWeek,
  type DigestBuilder,
  type DigestDeps,
} from '../../../core/digest/digestRun.js';
import type { Logger } from '../../../logger.js';
import type { CardRenderer } from '../../cards.js';
import { managerAddress } from '../../addresses.js';
import type { ProactiveMessenger } from '../../proactive.js';
import { noticeView } from '../../views.js';
import { digestView } from './digestView.js';

export interface RunSummary {
  week: string;
  sent: number;
  skipped: number;
  failed: number;
  unreachable: number;
  durationMs: number;
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
      : this.deps.cards.render('digest', digestView(this.deps.lib, digest, this.deps.calendar, { now }));
    const outcome = await this.deps.messenger.sendCard(managerAddress(claimed), card);
    if (outcome.ok) {
      await markDigestSent(this.deps.managers, {
        managerId,
        claimId,
        now,
        digest,
        reference: outcome.reference,
      });
      return 'sent';
    }
    await releaseDigestWeek(this.deps.managers, { managerId, claimId, gone: outcome.gone });
    return outcome.gone ? 'unreachable' : 'failed';
  }
}
