import { z } from 'zod';
import { AreaIdSchema, LevelSchema, type AreaId, type Level } from '../../../core/frameworkSchema.js';
import { summarizeAssessment } from '../../../core/assessment/gaps.js';
import { LEVEL_NAMES, type Library } from '../../../core/library.js';
import type { CardViews } from '../../cards.js';
import { verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, type Turn } from '../../turn.js';
import { activitiesForGaps, activitiesView } from '../../views.js';
import { latestCompleted, type AssessmentRepo } from '../../../core/assessment/assessment.js';

const PageSchema = z.object({
  area: z.union([AreaIdSchema, z.literal('')]).default(''),
  level: z.union([LevelSchema, z.literal('')]).default(''),
  page: z.coerce.number().int().min(1).max(99),
  mine: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .default(false),
});

/**
 * /activities and its paging. In a personal chat it starts from the person: with no area, the
 * activities for their own gaps; with an area and no level, their level (from their latest or
 * current assessment), and the card says which. In shared conversations nothing personal is used.
 */
export function activitiesFeature(lib: Library, repo: AssessmentRepo): Feature<'activities'> {
  const personal = async (
    turn: Turn,
    want: { area?: AreaId; level?: Level; page: number },
  ): Promise<CardViews['activities']> => {
    if (turn.isShared) return activitiesView(lib, want.area, want.level, { page: want.page });
    const doc = await repo.get(turn.userKey);
    const done = latestCompleted(doc);
    if (!want.area && !want.level && done) {
      const summary = summarizeAssessment(lib, done);
      if (summary.gaps.length) return activitiesForGaps(lib, summary, { page: want.page });
    }
    const own = done?.level ?? doc?.current?.level;
    if (want.level || !own) return activitiesView(lib, want.area, want.level, { page: want.page });
    return activitiesView(lib, want.area, own, {
      page: want.page,
      levelNote: `${LEVEL_NAMES[own].toLowerCase()}s (your level, from your self-assessment)`,
      mine: true,
    });
  };

  return {
    commands: {
      activities: async (turn, args) => {
        const area = args.area ? (args.area.replace(/\s+/g, '').toUpperCase() as AreaId) : undefined;
        const level = args.level?.toLowerCase().replace(/s$/, '') as Level | undefined;
        await turn.send('activities', await personal(turn, { area, level, page: Number(args.page ?? 1) }));
      },
    },
    verbs: {
      'activities.page': verb(
        PageSchema,
        async (turn, data) => {
          const { area, level, page, mine } = data;
          const view = await personal(turn, {
            area: area || undefined,
            // Pages worked out from the person's own level work it out again, so they follow a new assessment.
            level: mine ? undefined : level || undefined,
            page,
          });
          return cardInvokeResponse(turn.render('activities', view));
        },
        'That page could not be read. Type /activities again.',
      ),
    },
  };
}
