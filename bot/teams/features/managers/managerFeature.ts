import { z } from 'zod';
import {
  requestLink,
  respondToLink,
  revokeLink,
  type Link,
  type ManagerRepo,
} from '../../../core/managers/consent.js';
import type { RenderedCard } from '../../cards.js';
import type { ConversationRefStore } from '../../conversationRefs.js';
import { NoData, verb, type Feature } from '../../feature.js';
import { managerAddress } from '../../addresses.js';
import type { ProactiveMessenger } from '../../proactive.js';
import { cardInvokeResponse, errorInvokeResponse, type TeamMember, type Turn } from '../../turn.js';

const SHARED_ITEMS = [
  'your name',
  'the date and level of your latest completed self-assessment',
  'the share of statements you meet in each area (CC1 to CC5)',
  'your gaps: the statements you rated Not yet or Developing, or answered No, by area and sub-area',
  'what changed since their last weekly digest (gaps closed, new gaps)',
  'whether you are overdue: no self-assessment for 90 days, or a refresher course over three years old (only if you gave its date to /eligibility)',
  'each self-assessment you complete, to review: your ratings and evidence notes, which they can agree with or rate differently with a comment',
];
const NOT_SHARED = 'Never shared: your other eligibility answers, or an assessment you have not finished.';
/** The same list as the manager reads it: a request card speaks to the person it is sent to. */
const MANAGER_SEES = [
  'the date and level of their latest completed self-assessment',
  'the share of statements they meet in each area (CC1 to CC5)',
  'their gaps: the statements they rated Not yet or Developing, or answered No, by area and sub-area',
  'what changed since your last weekly digest (gaps closed, new gaps)',
  'whether they are overdue: no self-assessment for 90 days, or a refresher course over three years old',
  'each self-assessment they complete, to review: their ratings and evidence notes, which you can agree with or rate differently with a comment',
];
const MANAGER_NOT_SHARED =
  'Never shared with you: their other eligibility answers, or an assessment they have not finished.';

const PickSchema = z.object({ managerAadId: z.string().min(1).max(100) });
const ConfirmSchema = z.object({
  managerTeamsId: z.string().min(1).max(200),
  managerName: z.string().max(200),
});
const RespondSchema = z.object({ coderKey: z.string().min(1).max(200), accept: z.boolean() });

export interface ManagerFeatureDeps {
  repo: ManagerRepo;
  /** The bot's name as people find it in Teams, for telling a coder what their manager should install. */
  botName: string;
  refs: ConversationRefStore;
  messenger: () => ProactiveMessenger | undefined;
  /** The coder stopped sharing, or asked someone else: what waited with the old manager is withdrawn. */
  onStopSharing?: (coderKey: string, now: Date) => Promise<void>;
  /** What the manager would see about this coder, for the coder's preview. */
  previewFor?: (turn: Turn, coderKey: string) => Promise<RenderedCard>;
  /** A manager who accepts is someone the reminder passes look at, for the plan items they take on. */
  remindable?: (userKey: string) => Promise<void>;
}

/** Naming a line manager with consent on both sides; seeing, changing and revoking the link. */
export function managerFeature(deps: ManagerFeatureDeps): Feature<'manager'> & {
  /** The requests waiting for this person's answer as their manager, one card each. */
  pendingRequests: (turn: Turn) => Promise<RenderedCard[]>;
} {
  const { repo } = deps;

  const statusCard = async (turn: Turn, message = ''): Promise<RenderedCard> => {
    const link = await repo.link(turn.userKey);
    if (!link) return pickerCard(turn, message);
    const state =
      link.status === 'accepted'
        ? `${link.managerName} accepted on ${turn.day(link.respondedAt)} and sees your results in a weekly digest.`
        : link.status === 'pending'
          ? `Waiting for ${link.managerName} to accept (asked ${turn.day(link.requestedAt)}).`
          : `${link.managerName} declined on ${turn.day(link.respondedAt)}. Nothing is shared.`;
    return turn.render('choice', {
      summary: state,
      message,
      title: 'Your line manager',
      text: state,
      lines: link.status === 'declined' ? [] : SHARED_ITEMS.map((text) => ({ text })),
      detail: `${link.status === 'declined' ? '' : `${NOT_SHARED} `}To change manager, type /manager and @mention them.`,
      buttons: [
        ...(link.status !== 'declined'
          ? [{ title: 'Preview what they see', verb: 'manager.preview', data: {} }]
          : []),
        {
          title: link.status === 'declined' ? 'Remove' : 'Stop sharing now',
          verb: 'manager.revoke',
          data: {},
        },
      ],
    });
  };

  const pickerCard = async (turn: Turn, message = ''): Promise<RenderedCard> => {
    const people = await rosterOf(turn, deps.refs).catch(() => []);
    return turn.render('managerPicker', {
      summary: 'Name your line manager to share your self-assessment results with them.',
      message,
      text: 'Choose your line manager. I will show you exactly what they will see before anything is shared, and they will be asked to accept.',
      people: people.filter((p) => p.aadObjectId !== turn.activity.from?.aadObjectId),
    });
  };

  const confirmCard = (turn: Turn, manager: { teamsId: string; name: string }) =>
    turn.render('choice', {
      summary: `Share your self-assessment results with ${manager.name}?`,
      message: '',
      title: `Share your results with ${manager.name}?`,
      text: `${manager.name} will be asked to accept. Once they do, they will see:`,
      lines: SHARED_ITEMS.map((text) => ({ text })),
      detail: `${NOT_SHARED} You can see, change or stop this at any time with /manager.`,
      buttons: [
        {
          title: `Yes, share with ${manager.name}`,
          verb: 'manager.confirm',
          data: { managerTeamsId: manager.teamsId, managerName: manager.name },
        },
        { title: 'Cancel', verb: 'manager.cancel', data: {} },
      ],
    });

  const pendingRequests = async (turn: Turn): Promise<RenderedCard[]> => {
    const doc = await repo.manager(turn.activity.from?.id ?? '');
    const waiting = Object.entries(doc?.coders ?? {}).filter(([, c]) => c.status === 'pending');
    return waiting.map(([coderKey, c]) => requestCard(turn, { coderKey, coderName: c.name }));
  };

  return {
    pendingRequests,
    onPersonalInstall: async (turn) => {
      for (const card of await pendingRequests(turn)) await turn.sendRendered(card);
    },
    onPersonalHelp: async (turn) => {
      for (const card of await pendingRequests(turn)) await turn.sendRendered(card);
    },
    commands: {
      manager: async (turn) => {
        const m = turn.mentions[0];
        if (m) {
          if (m.id === turn.activity.from?.id) {
            return turn.sendRendered(
              await statusCard(turn, 'You cannot name yourself as your line manager.'),
            );
          }
          return turn.sendRendered(
            confirmCard(turn, { teamsId: m.id, name: displayName(m.name, 'your manager') }),
          );
        }
        await turn.sendRendered(await statusCard(turn));
      },
    },
    verbs: {
      'manager.pick': verb(
        PickSchema,
        async (turn, data) => {
          if (data.managerAadId === turn.activity.from?.aadObjectId) {
            return cardInvokeResponse(
              await pickerCard(turn, 'You cannot name yourself as your line manager.'),
            );
          }
          const member =
            (await findMember(turn, deps.refs, data.managerAadId).catch(() => undefined)) ??
            (await findInTenant(turn, data.managerAadId, deps));
          if ('problem' in member) return cardInvokeResponse(await pickerCard(turn, member.problem));
          return cardInvokeResponse(
            confirmCard(turn, { teamsId: member.id, name: displayName(member.name, 'your manager') }),
          );
        },
        async (turn) => cardInvokeResponse(await pickerCard(turn, 'Please choose your line manager.')),
      ),
      'manager.confirm': verb(
        ConfirmSchema,
        async (turn, data) => {
          if (data.managerTeamsId === turn.activity.from?.id) {
            return cardInvokeResponse(
              await statusCard(turn, 'You cannot name yourself as your line manager.'),
            );
          }
          const link: Link = {
            coderKey: turn.userKey,
            coderName: displayName(turn.userName, 'A coder'),
            coderTeamsId: turn.activity.from?.id ?? '',
            managerTeamsId: data.managerTeamsId,
            managerName: displayName(data.managerName, 'your manager'),
            status: 'pending',
            terms: 2,
            requestedAt: turn.now.toISOString(),
            tenantId: turn.tenantId,
            // No service URL means no way to reach the manager: stored empty, the request says so.
            serviceUrl: turn.activity.serviceUrl ?? '',
          };
          await requestLink(repo, link);
          await deps.onStopSharing?.(link.coderKey, turn.now);
          const sent = await askManager(turn, link, deps);
          const message = sent
            ? ''
            : `I couldn't reach ${link.managerName} in Teams yet. Ask them to open a chat with me, then they can accept.`;
          return cardInvokeResponse(await statusCard(turn, message));
        },
        'That card could not be read. Type /manager to start again.',
      ),
      'manager.cancel': verb(NoData, (turn) =>
        Promise.resolve(
          cardInvokeResponse(
            turn.render('notice', {
              summary: 'Nothing was shared.',
              title: '',
              text: 'Cancelled. Nothing was shared.',
              detail: '',
              buttons: [],
            }),
          ),
        ),
      ),
      'manager.respond': verb(
        RespondSchema,
        async (turn, data) => {
          const reference = turn.reference() as Record<string, unknown>;
          const link = await respondToLink(repo, {
            coderKey: data.coderKey,
            managerTeamsId: turn.activity.from?.id ?? '',
            accept: data.accept,
            now: turn.now,
            reference,
          });
          if (!link) {
            return cardInvokeResponse(
              turn.render('notice', {
                summary: 'This request is no longer open.',
                title: '',
                text: 'This request is no longer open: it was answered, withdrawn or replaced.',
                detail: '',
                buttons: [],
              }),
            );
          }
          if (link.status === 'accepted') await deps.remindable?.(turn.userKey);
          await tellCoder(turn, link, deps);
          const text = data.accept
            ? `Thank you. ${link.coderName}'s results will be in your weekly digest. Type /digest to see it now, or /team for an overview.`
            : `You declined. Nothing of ${link.coderName}'s is shared with you.`;
          return cardInvokeResponse(
            turn.render('notice', { summary: text, title: '', text, detail: '', buttons: [] }),
          );
        },
        'That card could not be read.',
      ),
      'manager.revoke': verb(NoData, async (turn) => {
        const link = await revokeLink(repo, turn.userKey);
        await deps.onStopSharing?.(turn.userKey, turn.now);
        const text = link
          ? `Done. ${link.managerName} no longer sees your results, from now on.`
          : 'You were not sharing your results with anyone.';
        return cardInvokeResponse(await statusCard(turn, text));
      }),
      'manager.preview': verb(NoData, async (turn) => {
        if (!deps.previewFor) return errorInvokeResponse(400, 'Preview is not available.');
        return cardInvokeResponse(await deps.previewFor(turn, turn.userKey));
      }),
    },
  };
}

async function askManager(turn: Turn, link: Link, deps: ManagerFeatureDeps): Promise<boolean> {
  const messenger = deps.messenger();
  if (!messenger) return false;
  const doc = await deps.repo.manager(link.managerTeamsId);
  const card = requestCard(turn, link);
  const address = managerAddress(
    doc ?? { managerTeamsId: link.managerTeamsId, tenantId: link.tenantId, serviceUrl: link.serviceUrl },
    turn.activity.recipient,
  );
  const outcome = await messenger.sendCard(address, card);
  if (outcome.ok && !doc?.reference) {
    await deps.repo.updateManager(link.managerTeamsId, (m) =>
      m ? { ...m, reference: outcome.reference } : undefined,
    );
  }
  return outcome.ok;
}

/** A coder's request as their manager reads it, with Accept and Decline. */
function requestCard(turn: Turn, request: { coderKey: string; coderName: string }): RenderedCard {
  const { coderKey, coderName } = request;
  return turn.render('choice', {
    summary: `${coderName} would like to share their self-assessment results with you.`,
    message: '',
    title: `${coderName} would like to share their results with you`,
    text: `${coderName} named you as their line manager. If you accept, you will see in a weekly digest:`,
    lines: MANAGER_SEES.map((text) => ({ text })),
    detail: `${MANAGER_NOT_SHARED} ${coderName} can stop sharing at any time.`,
    buttons: [
      { title: 'Accept', verb: 'manager.respond', data: { coderKey, accept: true } },
      { title: 'Decline', verb: 'manager.respond', data: { coderKey, accept: false } },
    ],
  });
}

/**
 * Someone picked who shares no team with the coder and the bot: found in the tenant by their
 * Entra object id, which works wherever the app is installed for them.
 */
async function findInTenant(
  turn: Turn,
  aadObjectId: string,
  deps: ManagerFeatureDeps,
): Promise<TeamMember | { problem: string }> {
  const messenger = deps.messenger();
  const found = messenger
    ? await messenger.findPerson(aadObjectId, {
        tenantId: turn.tenantId,
        serviceUrl: turn.activity.serviceUrl,
        bot: turn.activity.recipient,
      })
    : undefined;
  if (found?.ok) return { id: found.teamsId, name: found.name, aadObjectId };
  if (found?.gone) {
    return {
      problem: `That person does not have ${deps.botName} in Teams yet, so I cannot ask them. Ask them to add ${deps.botName} from Apps in Teams (or ask your Teams administrator to install it for them), then choose them again.`,
    };
  }
  return {
    problem:
      "I couldn't reach that person in Teams just now. Try again in a minute, or type /manager and @mention them.",
  };
}

async function tellCoder(turn: Turn, link: Link, deps: ManagerFeatureDeps): Promise<void> {
  const messenger = deps.messenger();
  const reference = await deps.refs.personalReference(link.coderKey);
  if (!messenger || !reference) return;
  const text =
    link.status === 'accepted'
      ? `${link.managerName} accepted: they will see your self-assessment results in their weekly digest. Type /manager to see or stop this.`
      : `${link.managerName} declined, so nothing is shared. Type /manager to name someone else.`;
  await messenger.sendCard(
    { reference },
    turn.render('notice', { summary: text, title: '', text, detail: '', buttons: [] }),
  );
}

/** People in the teams the coder shares with the bot, for the picker where Data.Query is not available. */
async function rosterOf(turn: Turn, refs: ConversationRefStore): Promise<TeamMember[]> {
  const teamIds = await sharedTeamIds(turn, refs);
  const people = new Map<string, TeamMember>();
  for (const teamId of teamIds.slice(0, 3)) {
    for (const m of await turn.teamMembers(teamId, 200)) people.set(m.aadObjectId, m);
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, 100);
}

async function findMember(
  turn: Turn,
  refs: ConversationRefStore,
  aadObjectId: string,
): Promise<TeamMember | undefined> {
  for (const teamId of await sharedTeamIds(turn, refs)) {
    const m = await turn.teamMember(teamId, aadObjectId);
    if (m) return { ...m, name: m.name || 'your manager' };
  }
  return undefined;
}

async function sharedTeamIds(turn: Turn, refs: ConversationRefStore): Promise<string[]> {
  const doc = await refs.forUser(turn.userKey);
  const ids = new Set<string>();
  for (const entry of Object.values(doc?.shared ?? {})) if (entry.teamId) ids.add(entry.teamId);
  return [...ids];
}

/**
 * Names come from Teams or from a card and are shown in cards: kept short, stripped of control
 * characters and Markdown, so a name can never become a link or formatting in someone's card.
 */
function displayName(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? '')
    // eslint-disable-next-line no-control-regex -- stripping control characters from names is the point
    .replace(/[\u0000-\u001f\u007f<>[\]()*_`#|\\~]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return cleaned || fallback;
}
