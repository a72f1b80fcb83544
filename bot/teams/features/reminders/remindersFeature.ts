import { z } from 'zod';
import { isSupportedTimeZone } from '../../../core/calendar.js';
import {
  ReminderKindSchema,
  type PersonState,
  type ReminderKind,
  type ReminderRepo,
  type ReminderSource,
  type RemindersData,
} from '../../../core/reminders/reminders.js';
import { scheduleFor, switchKind, zoneOf, type ReminderSettings } from '../../../core/reminders/schedule.js';
import { verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, type Turn } from '../../turn.js';
import { remindersView } from './remindersView.js';

export interface RemindersFeatureDeps {
  repo: ReminderRepo;
  readPerson: (userKey: string, teamsId?: string) => Promise<PersonState>;
  sources: readonly ReminderSource[];
  settings: ReminderSettings;
  data: RemindersData;
  /** Each kind's `about` line filled with its timings. */
  about: Record<ReminderKind, Record<string, string>>;
  /** The person's time zone as last remembered from their activities. */
  chats: { personalChat(userKey: string): Promise<{ timeZone?: string }> };
}

const SwitchSchema = z.object({ kind: ReminderKindSchema, switch: z.enum(['on', 'off']) });

/** /reminders: what is coming and when, in the person's zone, and a button to switch each kind off or on. */
export function remindersFeature(deps: RemindersFeatureDeps): Feature<'reminders'> {
  const render = async (turn: Turn, message?: string) => {
    const [person, doc, chat] = await Promise.all([
      deps.readPerson(turn.userKey, turn.activity.from?.id),
      deps.repo.get(turn.userKey),
      deps.chats.personalChat(turn.userKey),
    ]);
    // This activity's zone if it gives one (a turn carried over from a channel does not), else the stored one.
    const given = turn.activity.localTimezone;
    const timeZone = zoneOf(
      typeof given === 'string' && isSupportedTimeZone(given) ? given : chat.timeZone,
      deps.settings,
    );
    const schedule = scheduleFor(person, doc, deps.sources, turn.now, timeZone);
    return remindersView({
      schedule,
      doc,
      data: deps.data,
      about: deps.about,
      settings: deps.settings,
      calendar: turn.calendar,
      message,
    });
  };

  return {
    commands: {
      reminders: async (turn) => {
        await turn.send('reminders', await render(turn));
      },
    },
    verbs: {
      'reminders.switch': verb(
        SwitchSchema,
        async (turn, data) => {
          const on = data.switch === 'on';
          await switchKind(deps.repo, turn.userKey, data.kind, on);
          const name = deps.data.kinds[data.kind].name;
          const message = on
            ? `${name}: on. These reminders come again when they are due.`
            : `${name}: off. None of these will be sent until you turn them on.`;
          return cardInvokeResponse(turn.render('reminders', await render(turn, message)));
        },
        'That reminder button is out of date. Type /reminders to see your reminders.',
      ),
    },
  };
}
