import { latestCompleted } from '../../../core/assessment/assessment.js';
import { collectMyData, forgetUser, type MyData, type MyDataDeps } from '../../../core/myData/myData.js';
import { asPlainText } from '../../cards.js';
import { NoData, verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, type Turn } from '../../turn.js';
import { noticeView } from '../../views.js';
import { z } from 'zod';

export interface MyDataFeatureDeps extends MyDataDeps {
  /** A signed, short-lived download link for the whole record as JSON; absent when not configured. */
  downloadLink?: (userKey: string, teamsId: string, now: Date) => string | undefined;
}

/** /mydata and /forget: the coder's own view of what the bot holds, and its erasure. */
export function myDataFeature(deps: MyDataFeatureDeps): Feature<'mydata' | 'forget'> {
  return {
    commands: {
      mydata: async (turn) => {
        const teamsId = turn.activity.from?.id;
        const data = await collectMyData(deps, turn.userKey, teamsId);
        const url = deps.downloadLink?.(turn.userKey, teamsId ?? '', turn.now);
        await turn.send('links', {
          summary: `Everything I hold about you: ${describe(data)}.`,
          title: 'Your data',
          text: url
            ? 'Everything I hold about you, in short. The file below has all of it, as JSON; the link works for 15 minutes.'
            : 'Everything I hold about you, in short.',
          facts: summaryFacts(turn, data),
          note: url
            ? 'Type /forget to erase all of it.'
            : 'The full file needs BOT_PUBLIC_URL and EXPORT_LINK_SECRET to be configured; ask your administrator. Type /forget to erase all of it.',
          links: url ? [{ title: 'Download my data (JSON)', url }] : [],
        });
      },
      forget: async (turn) => {
        await turn.send('choice', {
          summary: 'Erase everything I hold about you?',
          message: '',
          title: 'Erase everything I hold about you?',
          text: 'This deletes, for good:',
          lines: [
            { text: 'your self-assessments in progress and your history' },
            { text: 'your saved eligibility answers' },
            { text: 'your line-manager link (your manager stops seeing you from their next digest)' },
            { text: 'if you are a manager: your team list and digest records' },
            { text: 'the conversation details I keep to message you' },
            { text: 'your reminder settings and which reminders were sent' },
          ],
          detail: 'It cannot be undone.',
          buttons: [
            { title: 'Yes, erase everything', verb: 'data.forget', data: { confirm: true } },
            { title: 'Keep my data', verb: 'data.keep', data: {} },
          ],
        });
      },
    },
    verbs: {
      'data.forget': verb(
        z.object({ confirm: z.literal(true) }),
        async (turn) => {
          await forgetUser(deps, turn.userKey, turn.activity.from?.id);
          return cardInvokeResponse(
            turn.render(
              'notice',
              noticeView(
                'Done: everything I held about you has been erased. If you write to me again, I start afresh.',
              ),
            ),
          );
        },
        (turn) =>
          Promise.resolve(cardInvokeResponse(turn.render('notice', noticeView('Nothing was erased.')))),
      ),
      'data.keep': verb(NoData, (turn) =>
        Promise.resolve(cardInvokeResponse(turn.render('notice', noticeView('Nothing was erased.')))),
      ),
    },
  };
}

function describe(data: MyData): string {
  const parts: string[] = [];
  const a = data.selfAssessments;
  parts.push(
    a
      ? `${a.history.length} completed self-assessment${a.history.length === 1 ? '' : 's'}${a.current ? ' and one in progress' : ''}`
      : 'no self-assessments',
  );
  parts.push(data.eligibilityAnswers ? 'your eligibility answers' : 'no eligibility answers');
  parts.push(
    data.lineManagerLink
      ? `a link to ${data.lineManagerLink.managerName} (${data.lineManagerLink.status})`
      : 'no line-manager link',
  );
  if (data.asLineManager)
    parts.push(
      `as a manager, ${data.asLineManager.coders.length} coder${data.asLineManager.coders.length === 1 ? '' : 's'}`,
    );
  parts.push(data.conversationReferences ? 'the details of our chats' : 'no chat details');
  return parts.join('; ');
}

/** What the file holds, a line a kind, in words a person checks at a glance. */
function summaryFacts(turn: Turn, data: MyData): { title: string; value: string }[] {
  const a = data.selfAssessments;
  const latest = latestCompleted(a ?? undefined);
  // Object.values drops `undefined` from the optional answers' type, but a blank one keeps its key
  // with no value: read as unknown, only answers given are counted.
  const answers = data.eligibilityAnswers
    ? Object.values<unknown>(data.eligibilityAnswers.answers).filter((v) => v !== undefined).length
    : 0;
  const refs = data.conversationReferences;
  const chats = refs ? Number(Boolean(refs.personal)) + Object.keys(refs.shared ?? {}).length : 0;
  return [
    {
      title: 'Self-assessments',
      value: a
        ? `${a.history.length} completed${latest ? ` (latest ${turn.day(latest.completedAt)})` : ''}${a.current ? `, 1 in progress (${Object.keys(a.current.ratings).length} answers, ${Object.keys(a.current.notes).length} notes)` : ''}`
        : 'none',
    },
    {
      title: 'Eligibility answers',
      value: data.eligibilityAnswers
        ? `${answers} saved on ${turn.day(data.eligibilityAnswers.updatedAt)}`
        : 'none',
    },
    {
      title: 'Line manager',
      value: data.lineManagerLink
        ? `${asPlainText(data.lineManagerLink.managerName)} (${data.lineManagerLink.status})`
        : 'none',
    },
    {
      title: 'Development plan',
      value: data.developmentPlan.length
        ? `${data.developmentPlan.length} item${data.developmentPlan.length === 1 ? '' : 's'}`
        : 'none',
    },
    {
      title: 'Reviews by your manager',
      value: data.managerReviews.length
        ? `${data.managerReviews.length} (${data.managerReviews.filter((r) => r.status === 'done').length} done)`
        : 'none',
    },
    ...(data.asLineManager
      ? [
          {
            title: 'As a manager',
            value: `${data.asLineManager.coders.length} coder${data.asLineManager.coders.length === 1 ? '' : 's'}`,
          },
        ]
      : []),
    {
      title: 'Chat details',
      value: chats ? `${chats} conversation${chats === 1 ? '' : 's'}, to message you` : 'none',
    },
    { title: 'Reminders', value: remindersInWords(data.reminders) },
  ];
}

/** "2 sent, 1 kind off": the reminders' record in a line. */
function remindersInWords(doc: MyData['reminders']): string {
  if (!doc) return 'none';
  const sent = Object.values(doc.records).filter((r) => r.status === 'sent').length;
  const parts = [`${sent} sent`];
  if (doc.off.length) parts.push(`${doc.off.length} kind${doc.off.length === 1 ? '' : 's'} off`);
  return parts.join(', ');
}
