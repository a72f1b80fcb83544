import { isMet, percent, type AssessmentDoc } from '../assessment/assessment.js';
import { compareAssessments } from '../assessment/gaps.js';
import type { AreaId } from '../frameworkSchema.js';
import { subAreaLabel, type Library } from '../library.js';
import type { PlanDoc } from '../plan/plan.js';
import { latestDone, waitingFor, type ReviewDoc } from '../review/review.js';
import { completedInOrder } from '../assessment/assessment.js';
import type { MyTeamView, Percent, TeamCoderRow } from './tabViews.js';

export interface TeamCoderInput {
  /** Opaque for this manager; made by the glue, never the coder's Entra id. */
  coderKey: string;
  displayName: string;
  assessments: AssessmentDoc | undefined;
  reviews: ReviewDoc | undefined;
  plan: PlanDoc | undefined;
}

const DAY_MS = 86_400_000;

/**
 * The "My team" heat map: the coders who share with this manager (the caller passes only those) ×
 * every sub-area, the share met in each from their latest assessment, the change per area since the one
 * before, where this manager's review stands and how the plan stands. Rows in name order.
 */
export function buildTeamView(
  lib: Library,
  coders: readonly TeamCoderInput[],
  managerTeamsId: string,
  clock: { now: Date; today: string; localDate: (iso: string) => string },
): MyTeamView {
  const subAreas = lib.framework.areas.flatMap((area) =>
    area.subAreas.map((s) => ({ id: s.id, label: subAreaLabel(s), area: area.id })),
  );
  const rows = coders.map((c): TeamCoderRow => {
    const history = completedInOrder(c.assessments);
    const latest = history.at(-1);
    const previous = history.at(-2);
    const shares: Record<string, Percent> = {};
    for (const area of lib.framework.areas)
      for (const sub of area.subAreas) {
        const asked = latest ? sub.statements.filter((s) => s.levels.includes(latest.level)) : [];
        const rated = asked.filter((s) => latest?.ratings[s.id] !== undefined);
        shares[sub.id] = rated.length
          ? percent(asked.filter((s) => isMet(latest?.ratings[s.id])).length, asked.length)
          : null;
      }
    const change: Partial<Record<AreaId, number | null>> = {};
    const compared = latest && previous ? compareAssessments(lib, previous, latest).areaChanges : [];
    for (const area of lib.framework.areas)
      change[area.id] = compared.find((a) => a.areaId === area.id)?.change ?? null;
    const waiting = waitingFor(c.reviews, managerTeamsId);
    const done = latest ? latestDone(c.reviews, latest.id) : undefined;
    const items = c.plan?.items ?? [];
    return {
      coderKey: c.coderKey,
      displayName: c.displayName,
      lastCompletedOn: latest ? clock.localDate(latest.completedAt) : null,
      subAreas: shares,
      change,
      review: waiting ? 'waiting' : done?.managerTeamsId === managerTeamsId ? 'done' : 'none',
      reviewWaitingDays: waiting
        ? Math.max(0, Math.floor((clock.now.getTime() - Date.parse(waiting.openedAt)) / DAY_MS))
        : null,
      plan: {
        agreed: items.filter((i) => i.status === 'agreed').length,
        proposed: items.filter((i) => i.status === 'proposed').length,
        done: items.filter((i) => i.status === 'done').length,
        overdue: items.filter((i) => i.status === 'agreed' && i.targetDate < clock.today).length,
      },
    };
  });
  return { subAreas, coders: rows.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
}
