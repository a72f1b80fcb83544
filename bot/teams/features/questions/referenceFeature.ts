import { z } from 'zod';
import { AreaIdSchema } from '../../../core/frameworkSchema.js';
import type { Library } from '../../../core/library.js';
import { verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, errorInvokeResponse } from '../../turn.js';
import { areasView, competencyView } from '../../views.js';

const ShowSchema = z.object({
  area: z.union([AreaIdSchema, z.literal('')]),
  sub: z.string().max(20).default(''),
});

/**
 * "Show all" on the framework's reference cards: the same card returned with every statement shown,
 * in place. A button that changes the card, not ToggleVisibility or ShowCard, whose markup the
 * Teams renderer gets wrong for screen readers (aria-controls naming nothing, aria-expanded on a div).
 */
export function referenceFeature(lib: Library): Feature {
  return {
    verbs: {
      'competency.show': verb(
        ShowSchema,
        (turn, data) => {
          const { area, sub } = data;
          const view = area
            ? competencyView(lib, { areaId: area, subAreaId: sub || undefined }, true)
            : areasView(lib, true);
          if (!view)
            return Promise.resolve(
              errorInvokeResponse(400, 'There is no such area. Type /areas to see them all.'),
            );
          return Promise.resolve(cardInvokeResponse(turn.render('competency', view)));
        },
        'That card could not be read. Type /areas to start again.',
      ),
    },
  };
}
