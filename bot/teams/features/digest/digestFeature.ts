import type { WeeklyDigest } from '../../../core/digest/digest.js';
import { hasTeam, type DigestBuilder } from '../../../core/digest/digestRun.js';
import type { Library } from '../../../core/library.js';
import type { ManagerRepo } from '../../../core/managers/consent.js';
import type { RenderedCard } from '../../cards.js';
import type { Feature } from '../../feature.js';
import type { Turn } from '../../turn.js';
import { noticeView } from '../../views.js';
import { digestView } from './digestView.js';

/** /digest, /team and /export for managers; the coder's preview of what their manager sees. */
export function digestFeature(deps: {
  lib: Library;
  managers: ManagerRepo;
  builder: DigestBuilder;
  exportLink?: (managerId: string, now: Date) => string | undefined;
  /** Coders' requests waiting for this manager's answer, as cards with Accept and Decline. */
  pendingRequests?: (turn: Turn) => Promise<RenderedCard[]>;
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
      return turn.render(
        'digest',
        digestView(deps.lib, digest, turn.calendar, { now: turn.now, preview: true }),
      );
    },
    commands: {
      digest: async (turn) => {
        const doc = await managerDoc(turn);
        if (!doc) return noTeam(turn);
        const digest = await deps.builder.forManager(doc, turn.now);
        await turn.send('digest', digestView(deps.lib, digest, turn.calendar, { now: turn.now }));
      },
      team: async (turn) => {
        // Requests waiting for an answer come first: accepting one is how a team starts.
        const pending = (await deps.pendingRequests?.(turn)) ?? [];
        for (const card of pending) await turn.sendRendered(card);
        const doc = await managerDoc(turn);
        if (!doc) return pending.length ? undefined : noTeam(turn);
        const digest = await deps.builder.forManager(doc, turn.now);
        const view = digestView(deps.lib, digest, turn.calendar, { now: turn.now });
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
            { title: 'Download plans (CSV)', url: `${url}&format=plans-csv` },
          ],
        });
      },
    },
  };
}
