import { latestCompleted } from '../assessment/assessment.js';
import { addDays, addMonths, daysBetween, localDate } from '../calendar.js';
import { checkEligibility, ruleDates } from '../eligibility/eligibility.js';
import type {
  EligibilityAnswers,
  EligibilityDoc,
  EligibilityRules,
  Programme,
} from '../eligibility/eligibilitySchema.js';
import type { PlanDoc, PlanItem } from '../plan/plan.js';
import { fillWording, type Reminder, type ReminderSource, type RemindersData } from './reminders.js';

/*
 * The reminder sources: each a pure function of one person's state and their day. Dates a person
 * gave or a rule computes are calendar dates; stored instants (an assessment's last step) become the
 * person's own days in their zone.
 */

type Kinds = RemindersData['kinds'];

/**
 * An unfinished self-assessment, `afterDays` (7) after its last step. Each pause is its own reminder
 * (the id carries the revision), so someone who comes back and stops again is nudged again, once.
 */
export function unfinishedAssessmentSource(timing: Kinds['unfinishedAssessment']): ReminderSource {
  return {
    kind: 'unfinishedAssessment',
    remindersFor(person, day) {
      const a = person.assessments?.current;
      if (!a) return [];
      const lastStepOn = localDate(new Date(a.updatedAt), day.timeZone);
      const dueOn = addDays(lastStepOn, timing.afterDays);
      return [
        {
          id: `unfinished:${a.id}:${a.revision}`,
          kind: 'unfinishedAssessment',
          dueOn,
          lastDay: addDays(dueOn, timing.keepDays),
          facts: { lastStepOn },
          words: () => ({ startedOn: localDate(new Date(a.startedAt), day.timeZone) }),
        },
      ];
    },
  };
}

/**
 * A reassessment, `months` (REASSESS_MONTHS) after the latest completed self-assessment. None while
 * another is in progress: the person has started it, and the unfinished reminder speaks for it.
 */
export function reassessmentSource(timing: Kinds['reassessment'], months: number): ReminderSource {
  return {
    kind: 'reassessment',
    remindersFor(person, day) {
      const doc = person.assessments;
      const latest = latestCompleted(doc);
      if (!latest || doc?.current) return [];
      const completedOn = localDate(new Date(latest.completedAt), day.timeZone);
      const dueOn = addMonths(completedOn, months);
      return [
        {
          id: `reassess:${latest.id}`,
          kind: 'reassessment',
          dueOn,
          lastDay: addDays(dueOn, timing.keepDays),
          facts: { completedOn, months: String(months) },
        },
      ];
    },
  };
}

const answered = (v: unknown) => v !== undefined && v !== 'unknown';

/**
 * The programmes a person checked, from their saved answers (the answers are shared, the programme is
 * not stored): those with a question only they ask, answered, so someone who checked CCAP is not told
 * about CCTP; failing any, those with any of their questions answered.
 */
export function programmesChecked(rules: EligibilityRules, answers: EligibilityAnswers): Programme[] {
  const given = answers as Record<string, unknown>;
  const answeredAny = (p: Programme, own: boolean) =>
    rules.questions.some(
      (q) => q.programmes.includes(p.id) && (!own || q.programmes.length === 1) && answered(given[q.id]),
    );
  const byOwn = rules.programmes.filter((p) => answeredAny(p, true));
  return byOwn.length > 0 ? byOwn : rules.programmes.filter((p) => answeredAny(p, false));
}

/**
 * What both eligibility sources start from, worked out once per person and zone: the day the answers
 * were saved, in the person's zone, and the programmes they checked.
 */
const savedAnswersOf = new WeakMap<
  EligibilityDoc,
  { zone: string; savedOn: string; programmes: Programme[] }
>();
function savedAnswers(rules: EligibilityRules, doc: EligibilityDoc, zone: string) {
  let known = savedAnswersOf.get(doc);
  if (known?.zone !== zone) {
    known = {
      zone,
      savedOn: localDate(new Date(doc.updatedAt), zone),
      programmes: programmesChecked(rules, doc.answers),
    };
    savedAnswersOf.set(doc, known);
  }
  return known;
}

const VERDICT_WORDING = { eligible: 'eligible', 'not-yet': 'notYet', unknown: 'unknown' } as const;

/** The later of two calendar dates. */
const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The day a programme's time rule is met (held ACC for over three years, for two years or more), from
 * saved /eligibility answers, on the eligibility engine's own date. Only a date still ahead when the
 * answers were saved: what the result card already said is not repeated. The message is the engine's
 * own words on the day it is sent ("… you meet this from today"), and what that leaves.
 */
export function eligibilityTimeSource(
  rules: EligibilityRules,
  wording: Kinds['eligibilityTime'],
): ReminderSource {
  return {
    kind: 'eligibilityTime',
    remindersFor(person, day) {
      const doc = person.eligibility;
      if (!doc) return [];
      const { savedOn, programmes } = savedAnswers(rules, doc, day.timeZone);
      const out: Reminder[] = [];
      for (const p of programmes) {
        const dates = ruleDates(rules, p.id, doc.answers, day.today);
        for (const c of p.criteria) {
          if (c.kind !== 'heldForMoreThanYears' && c.kind !== 'heldForAtLeastYears') continue;
          const metOn = dates.get(c.id)?.metOn;
          if (!metOn || metOn <= savedOn) continue;
          const names = { programme: p.shortName, programmeName: p.name };
          out.push({
            id: `eligibility:${p.id}:${c.id}:${metOn}`,
            kind: 'eligibilityTime',
            dueOn: metOn,
            lastDay: addDays(metOn, wording.keepDays),
            facts: { ...names, metOn },
            words: () => {
              const then = checkEligibility(rules, p.id, doc.answers, later(metOn, day.today));
              return {
                detail: then.criteria.find((r) => r.id === c.id)?.detail ?? '',
                outcome: fillWording(wording.outcomes[VERDICT_WORDING[then.verdict]], names),
              };
            },
          });
        }
      }
      return out;
    },
  };
}

/**
 * A dated course rule lapsing (the refresher course, CCSRC, within the last three years): a reminder
 * `daysBefore` (90, then 30) days before it stops counting, on the engine's own last day. Each runs
 * until the next is due; one already due when the answers were saved is left out (the result card
 * said when it lapses).
 */
export function refresherLapsingSource(
  rules: EligibilityRules,
  timing: Kinds['refresherLapsing'],
): ReminderSource {
  return {
    kind: 'refresherLapsing',
    remindersFor(person, day) {
      const doc = person.eligibility;
      if (!doc) return [];
      const { savedOn, programmes } = savedAnswers(rules, doc, day.timeZone);
      const given = doc.answers as Record<string, unknown>;
      const out: Reminder[] = [];
      for (const p of programmes) {
        const dates = ruleDates(rules, p.id, doc.answers, day.today);
        for (const c of p.criteria) {
          if (c.kind !== 'withinLastYears') continue;
          const attendedOn = given[c.parameters.dateQuestion];
          const lastDay = dates.get(c.id)?.validUntil;
          if (typeof attendedOn !== 'string' || !lastDay) continue;
          const lapsesOn = addDays(lastDay, 1);
          timing.daysBefore.forEach((before, i) => {
            const dueOn = addDays(lapsesOn, -before);
            const next = timing.daysBefore[i + 1];
            if (dueOn <= savedOn) return;
            const shownOn = later(dueOn, day.today);
            out.push({
              id: `refresher:${p.id}:${c.id}:${attendedOn}:${before}`,
              kind: 'refresherLapsing',
              dueOn,
              lastDay: next === undefined ? lastDay : addDays(lapsesOn, -next - 1),
              facts: {
                programme: p.shortName,
                attendedOn,
                lastDay,
                lapsesOn,
                daysLeft: String(daysBetween(shownOn, lapsesOn)),
              },
              words: () => ({
                detail:
                  checkEligibility(rules, p.id, doc.answers, shownOn).criteria.find((r) => r.id === c.id)
                    ?.detail ?? '',
              }),
            });
          });
        }
      }
      return out;
    },
  };
}

/**
 * A development plan's agreed items: `daysBefore` (3) before the target date, and the day after it
 * if the item is still open. Each goes to whoever does it: the coder for their own items, the line
 * manager for the items they took on (from the plans of the coders who share with them). The id
 * carries the target date, so an item given a new date is reminded again; one done or dropped is no
 * longer agreed and has nothing due.
 */
export function planItemSource(timing: Kinds['planItem']): ReminderSource {
  const remindersOf = (items: readonly PlanItem[], facts: { doer: string; plan: string }): Reminder[] =>
    items.flatMap((item): Reminder[] => {
      const base = { ...facts, activity: item.activityText, targetDate: item.targetDate };
      const overdueFrom = addDays(item.targetDate, 1);
      return [
        {
          id: `plan:${item.id}:${item.targetDate}:due`,
          kind: 'planItem',
          dueOn: addDays(item.targetDate, -timing.daysBefore),
          lastDay: item.targetDate,
          facts: { ...base, when: timing.when.due },
        },
        {
          id: `plan:${item.id}:${item.targetDate}:overdue`,
          kind: 'planItem',
          dueOn: overdueFrom,
          lastDay: addDays(overdueFrom, timing.keepDays),
          facts: { ...base, when: timing.when.overdue },
        },
      ];
    });
  const agreed = (doc: PlanDoc | undefined, owner: PlanItem['owner']) =>
    (doc?.items ?? []).filter((item) => item.status === 'agreed' && item.owner === owner);
  return {
    kind: 'planItem',
    remindersFor(person) {
      return [
        ...remindersOf(agreed(person.plan, 'coder'), {
          doer: timing.doer.coder,
          plan: timing.plan.own,
        }),
        ...(person.managedPlans ?? []).flatMap(({ coderName, plan }) =>
          remindersOf(agreed(plan, 'manager'), {
            doer: timing.doer.manager,
            plan: fillWording(timing.plan.coders, { coder: coderName }),
          }),
        ),
      ];
    },
  };
}
