import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { latestCompleted, type AssessmentRepo } from '../../../core/assessment/assessment.js';
import { suggestActivities, summarizeAssessment } from '../../../core/assessment/gaps.js';
import { addDays } from '../../../core/calendar.js';
import type { Library } from '../../../core/library.js';
import type { Link, ManagerRepo } from '../../../core/managers/consent.js';
import {
  PLAN_NOTE_MAX,
  PLAN_PROBLEMS,
  SideSchema,
  closeItem,
  confirmItem,
  planOrder,
  proposeItem,
  type PlanDoc,
  type PlanItem,
  type PlanRepo,
  type Side,
} from '../../../core/plan/plan.js';
import type { RenderedCard } from '../../cards.js';
import type { ConversationRefStore } from '../../conversationRefs.js';
import { verb, type Feature } from '../../feature.js';
import { managerAddress } from '../../addresses.js';
import type { PersonalAddress, ProactiveMessenger } from '../../proactive.js';
import { cardInvokeResponse, type InvokeResponse, type Turn } from '../../turn.js';
import { noticeView } from '../../views.js';

export interface PlanFeatureDeps {
  lib: Library;
  plans: PlanRepo;
  managers: ManagerRepo;
  assessments: AssessmentRepo;
  refs: ConversationRefStore;
  messenger: () => ProactiveMessenger | undefined;
  /** A line manager who acts on a plan is someone the reminder passes look at, for the items they do. */
  remindable?: (userKey: string) => Promise<void>;
}

/** How many suggested activities the add form offers, best first. */
const SUGGESTIONS_MAX = 15;
/** A new item's target date, unless the person picks another. */
const DEFAULT_TARGET_DAYS = 28;

const CoderSchema = z.object({ coderKey: z.string().min(1).max(200) });
const AddSchema = z
  .object({
    coderKey: z.string().min(1).max(200),
    activityId: z.string().regex(/^LMA\d{2,3}$/, 'Choose an activity.'),
    targetDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose a target date.'),
    owner: SideSchema,
  })
  .catchall(z.unknown());
const ConfirmSchema = z.object({ coderKey: z.string().min(1).max(200), itemId: z.string().min(1).max(100) });
const CloseSchema = z
  .object({
    coderKey: z.string().min(1).max(200),
    itemId: z.string().min(1).max(100),
    as: z.enum(['done', 'dropped']),
  })
  .catchall(z.unknown());

/** Who the person in this turn is to the plan: its coder, their manager while shared, or nobody. */
type Access = { side: Side; link: Link | undefined } | undefined;

/**
 * The development plan: /plan for the coder (their own) and for their manager (a coder who shares
 * with them); adding a suggested activity with a date and who does it, the other side confirming,
 * done with evidence or dropped with a reason, the other side told each time.
 */
export function planFeature(deps: PlanFeatureDeps): Feature<'plan'> & {
  /** The add form's first suggestion for this coder, as the digest offers it. */
  planCardFor: (turn: Turn, coderKey: string) => Promise<RenderedCard | undefined>;
} {
  const { lib, plans } = deps;

  const access = async (turn: Turn, coderKey: string): Promise<Access> => {
    const link = await deps.managers.link(coderKey);
    if (coderKey === turn.userKey) return { side: 'coder', link };
    if (link?.status === 'accepted' && link.managerTeamsId === turn.activity.from?.id)
      return { side: 'manager', link };
    return undefined;
  };

  const names = (a: NonNullable<Access>) => ({
    coder: a.side === 'coder' ? 'you' : (a.link?.coderName ?? 'the coder'),
    manager:
      a.side === 'manager' ? 'you' : a.link?.status === 'accepted' ? a.link.managerName : 'your manager',
  });

  const statusLine = (turn: Turn, item: PlanItem, a: NonNullable<Access>): string => {
    const n = names(a);
    const by = `by ${turn.day(item.targetDate)}`;
    const who = item.owner === 'coder' ? n.coder : n.manager;
    const doer = who === 'you' ? 'You do it' : `${capital(who)} does it`;
    switch (item.status) {
      case 'proposed':
        return `${capital(by)} · ${doer} · proposed by ${item.proposedBy === a.side ? 'you' : n[item.proposedBy]}, waiting for ${item.proposedBy === a.side ? (a.side === 'coder' ? n.manager : n.coder) : 'you'} to confirm`;
      case 'agreed':
        return `${capital(by)} · ${doer} · agreed${turn.calendar.today(turn.now) > item.targetDate ? ' · overdue' : ''}`;
      case 'done':
        return `Done ${turn.day(item.closedAt)} (target ${turn.day(item.targetDate)}), marked by ${item.closedBy === a.side ? 'you' : n[item.closedBy ?? 'coder']}`;
      case 'dropped':
        return `Dropped ${turn.day(item.closedAt)} by ${item.closedBy === a.side ? 'you' : n[item.closedBy ?? 'coder']}`;
    }
  };

  const planCard = async (turn: Turn, coderKey: string, a: NonNullable<Access>, message = '') => {
    const doc = (await plans.get(coderKey)) ?? { items: [] };
    const done = latestCompleted(await deps.assessments.get(coderKey));
    const open = new Set(
      doc.items.filter((i) => i.status === 'proposed' || i.status === 'agreed').map((i) => i.activityId),
    );
    const suggestions = done
      ? suggestActivities(lib, summarizeAssessment(lib, done))
          .filter((s) => !open.has(s.id))
          .slice(0, SUGGESTIONS_MAX)
      : [];
    const n = names(a);
    const whose = a.side === 'coder' ? 'Your' : `${a.link?.coderName ?? 'The coder'}'s`;
    const shared = a.link?.status === 'accepted';
    const items = planOrder(doc.items).slice(0, 20);
    return turn.render('plan', {
      summary: `${whose} development plan: ${items.filter((i) => i.status === 'agreed').length} agreed, ${items.filter((i) => i.status === 'proposed').length} waiting to be confirmed.`,
      message,
      title: `${whose} development plan`,
      intro: items.length
        ? shared || a.side === 'manager'
          ? 'Activities from the framework with a target date and who does it. What one of you adds, the other confirms.'
          : 'Activities from the framework with a target date and who does it. Name your line manager with /manager to agree them together.'
        : done
          ? 'Nothing planned yet. Choose an activity for the gaps below, a target date and who does it.'
          : 'A plan starts from the gaps of a completed self-assessment: start one with /assess.',
      items: items.map((item) => {
        const actions: { title: string; verb: string; data: Record<string, unknown> }[] = [];
        const ref = { coderKey, itemId: item.id };
        if (item.status === 'proposed' && item.proposedBy !== a.side)
          actions.push({ title: 'Confirm', verb: 'plan.confirm', data: ref });
        if (item.status === 'agreed')
          actions.push({ title: 'Mark done', verb: 'plan.close', data: { ...ref, as: 'done' } });
        if (item.status === 'proposed' || item.status === 'agreed')
          actions.push({
            title: item.status === 'proposed' && item.proposedBy !== a.side ? 'Decline' : 'Drop',
            verb: 'plan.close',
            data: { ...ref, as: 'dropped' },
          });
        return {
          id: item.id,
          activity: `${item.activityText}${item.servesAreas.length ? ` (for ${item.servesAreas.join(', ')})` : ''}`,
          status: statusLine(turn, item, a),
          note: item.note ? `${item.status === 'done' ? 'Evidence' : 'Reason'}: ${item.note}` : '',
          canClose: actions.some((x) => x.verb === 'plan.close'),
          actions,
        };
      }),
      addHeading: suggestions.length ? 'Add an activity for the gaps' : '',
      suggestions: suggestions.map((s) => ({
        id: s.id,
        title: `${s.text.length > 110 ? `${s.text.slice(0, 107)}…` : s.text} (${s.servesAreas.join(', ')})`,
      })),
      suggestedId: suggestions[0]?.id ?? '',
      defaultDate: addDays(turn.calendar.today(turn.now), DEFAULT_TARGET_DAYS),
      defaultOwner: a.side === 'coder' ? 'coder' : 'manager',
      owners: [
        { title: a.side === 'coder' ? 'Me' : capital(n.coder), value: 'coder' },
        // A coder planning alone has no manager to do an item, nor to confirm it.
        ...(a.side === 'manager' || shared
          ? [{ title: a.side === 'manager' ? 'Me' : 'My line manager', value: 'manager' as const }]
          : []),
      ],
      buttons: suggestions.length ? [{ title: 'Add to plan', verb: 'plan.add', data: { coderKey } }] : [],
    });
  };

  /** The other side hears what changed, in their personal chat. */
  const tellOtherSide = async (turn: Turn, coderKey: string, a: NonNullable<Access>, text: string) => {
    const messenger = deps.messenger();
    if (!messenger) return;
    let address: PersonalAddress | undefined;
    if (a.side === 'manager') {
      const reference = await deps.refs.personalReference(coderKey);
      address = reference ? { reference } : undefined;
    } else if (a.link?.status === 'accepted') {
      const doc = await deps.managers.manager(a.link.managerTeamsId);
      address = doc ? managerAddress(doc, turn.activity.recipient) : undefined;
    }
    if (!address) return;
    const buttons = [{ title: 'Open the plan', command: '/plan' }];
    await messenger
      .sendCard(address, turn.render('notice', noticeView(text, { buttons })))
      .catch(() => undefined);
  };

  const who = (turn: Turn, a: NonNullable<Access>) =>
    a.side === 'coder'
      ? (a.link?.coderName ?? (turn.userName || 'Your coder'))
      : (a.link?.managerName ?? 'Your manager');

  const noAccess = (turn: Turn) =>
    cardInvokeResponse(
      turn.render(
        'notice',
        noticeView('You can see this plan only while the coder shares their results with you.'),
      ),
    );

  const applied = async (
    turn: Turn,
    coderKey: string,
    a: NonNullable<Access>,
    f: (doc: PlanDoc) => ReturnType<typeof confirmItem>,
  ): Promise<{ ok: false; response: InvokeResponse } | { ok: true; item: PlanItem }> => {
    let outcome: ReturnType<typeof confirmItem> | undefined;
    await plans.update(coderKey, (doc) => {
      outcome = f(doc);
      return outcome.ok ? outcome.doc : undefined;
    });
    if (!outcome) throw new Error('The plan update ran no change');
    if (!outcome.ok) {
      const card = await planCard(turn, coderKey, a, PLAN_PROBLEMS[outcome.problem]);
      return { ok: false, response: cardInvokeResponse(card) };
    }
    if (a.side === 'manager') await deps.remindable?.(turn.userKey);
    return { ok: true, item: outcome.item };
  };

  const managerPicker = async (turn: Turn): Promise<boolean> => {
    const doc = await deps.managers.manager(turn.activity.from?.id ?? '');
    const coders = Object.entries(doc?.coders ?? {}).filter(([, c]) => c.status === 'accepted');
    if (!coders.length) return false;
    await turn.send('choice', {
      summary: 'Whose development plan?',
      message: '',
      title: 'Whose development plan?',
      text: 'The coders who share their results with you:',
      lines: [],
      detail: '',
      buttons: [
        { title: 'My own plan', verb: 'plan.open', data: { coderKey: turn.userKey } },
        ...coders
          .slice(0, 5)
          .map(([coderKey, c]) => ({ title: c.name, verb: 'plan.open', data: { coderKey } })),
      ],
    });
    return true;
  };

  return {
    planCardFor: async (turn, coderKey) => {
      const a = await access(turn, coderKey);
      return a ? planCard(turn, coderKey, a) : undefined;
    },
    commands: {
      plan: async (turn) => {
        if (await managerPicker(turn)) return;
        const a = await access(turn, turn.userKey);
        if (a) await turn.sendRendered(await planCard(turn, turn.userKey, a));
      },
    },
    verbs: {
      'plan.open': verb(CoderSchema, async (turn, data) => {
        const a = await access(turn, data.coderKey);
        if (!a) return noAccess(turn);
        return cardInvokeResponse(await planCard(turn, data.coderKey, a));
      }),
      'plan.add': verb(
        AddSchema,
        async (turn, data) => {
          const a = await access(turn, data.coderKey);
          if (!a) return noAccess(turn);
          const done = latestCompleted(await deps.assessments.get(data.coderKey));
          const activity = done
            ? suggestActivities(lib, summarizeAssessment(lib, done)).find((s) => s.id === data.activityId)
            : undefined;
          if (!activity) {
            return cardInvokeResponse(
              await planCard(turn, data.coderKey, a, 'Choose one of the activities offered for the gaps.'),
            );
          }
          if (data.owner === 'manager' && a.side === 'coder' && a.link?.status !== 'accepted') {
            return cardInvokeResponse(
              await planCard(
                turn,
                data.coderKey,
                a,
                'Until a line manager accepts your request (/manager), the items in your plan are yours to do.',
              ),
            );
          }
          const r = await applied(turn, data.coderKey, a, (doc) =>
            proposeItem(doc, {
              id: randomUUID(),
              activity: { id: activity.id, text: activity.text, servesAreas: activity.servesAreas },
              targetDate: data.targetDate,
              owner: data.owner,
              by: a.side,
              alone: a.side === 'coder' && a.link?.status !== 'accepted',
              today: turn.calendar.today(turn.now),
              now: turn.now,
            }),
          );
          if (!r.ok) return r.response;
          await tellOtherSide(
            turn,
            data.coderKey,
            a,
            `${who(turn, a)} proposed adding to ${a.side === 'manager' ? 'your' : 'their'} development plan: "${activity.text}", by ${turn.day(data.targetDate)}. Open the plan to confirm or decline it.`,
          );
          const solo = a.side === 'coder' && a.link?.status !== 'accepted';
          return cardInvokeResponse(
            await planCard(
              turn,
              data.coderKey,
              a,
              solo
                ? ''
                : `Added. ${a.side === 'coder' ? (a.link?.managerName ?? 'Your manager') : (a.link?.coderName ?? 'The coder')} confirms it to agree it.`,
            ),
          );
        },
        async (turn, error) => {
          const a = await access(turn, turn.userKey);
          const message = error.issues[0]?.message ?? 'That card could not be read.';
          return a ? cardInvokeResponse(await planCard(turn, turn.userKey, a, message)) : noAccess(turn);
        },
      ),
      'plan.confirm': verb(ConfirmSchema, async (turn, data) => {
        const a = await access(turn, data.coderKey);
        if (!a) return noAccess(turn);
        const r = await applied(turn, data.coderKey, a, (doc) =>
          confirmItem(doc, data.itemId, a.side, turn.now),
        );
        if (!r.ok) return r.response;
        await tellOtherSide(
          turn,
          data.coderKey,
          a,
          `${who(turn, a)} confirmed "${r.item.activityText}", by ${turn.day(r.item.targetDate)}: it is agreed.`,
        );
        return cardInvokeResponse(await planCard(turn, data.coderKey, a, ''));
      }),
      'plan.close': verb(CloseSchema, async (turn, data, raw) => {
        const a = await access(turn, data.coderKey);
        if (!a) return noAccess(turn);
        const rawNote = raw[`note:${data.itemId}`];
        const note = typeof rawNote === 'string' ? rawNote.slice(0, PLAN_NOTE_MAX * 2) : '';
        if (note.trim().length > PLAN_NOTE_MAX) {
          return cardInvokeResponse(
            await planCard(turn, data.coderKey, a, `Keep the note to ${PLAN_NOTE_MAX} characters.`),
          );
        }
        const r = await applied(turn, data.coderKey, a, (doc) =>
          closeItem(doc, data.itemId, { as: data.as, note, by: a.side, now: turn.now }),
        );
        if (!r.ok) return r.response;
        await tellOtherSide(
          turn,
          data.coderKey,
          a,
          `${who(turn, a)} marked "${r.item.activityText}" ${data.as === 'done' ? 'done' : 'dropped'}: ${r.item.note ?? ''}`,
        );
        return cardInvokeResponse(await planCard(turn, data.coderKey, a, ''));
      }),
    },
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
