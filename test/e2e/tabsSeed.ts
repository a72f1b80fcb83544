/**
 * Made-up people for the tabs' browser test, put into the bot's stores through its own repositories
 * and use cases: a line manager with three coders (reviews, a plan, eligibility answers), a second
 * manager's coders so the organisation view has groups of 5 and more (and a small one it hides), and
 * an organisation viewer.
 */
import type { App } from '../../bot/app.js';
import { saveProgrammeAnswers } from '../../bot/core/eligibility/answers.js';
import { EligibilityAnswersSchema } from '../../bot/core/eligibility/eligibilitySchema.js';
import type { Library } from '../../bot/core/library.js';
import { closeItem, confirmItem, proposeItem, type PlanDoc } from '../../bot/core/plan/plan.js';
import { openReview, recordVerdicts, reviewedSubAreas } from '../../bot/core/review/review.js';
import type { Person } from '../support/activities.js';
import { completedAssessment, giveAssessments, hasChatted, shares } from '../support/tabsWorld.js';

export const NOW = new Date('2026-11-23T10:00:00Z');

function someone(n: number, name: string): Person {
  const hex = n.toString(16).padStart(12, '0');
  return { id: `29:tabs-${hex}`, name, aadObjectId: `00000000-0000-4000-8000-${hex}` };
}

export const manager = someone(0x5a01, 'Sam Okafor');
export const robin = someone(0xc001, 'Robin Ashdown');
export const priya = someone(0xc002, 'Priya Natarajan');
export const tom = someone(0xc003, 'Tom Whitfield');
export const orgViewer = someone(0x0f01, 'Olive Fenwick');
const otherManager = someone(0x5a02, 'Jo Baptiste');

type Level = 'trainee' | 'approved';
/**
 * Each assessment: when, at which level, the areas rated Developing throughout, and the areas where
 * every other statement is (about half met).
 */
type History = [string, Level, string[], string[]?][];

const TEAM: [Person, History][] = [
  [
    robin,
    [
      ['2026-03-10', 'trainee', ['CC1', 'CC3'], ['CC2', 'CC5']],
      ['2026-07-14', 'trainee', ['CC3'], ['CC1', 'CC2']],
      ['2026-11-02', 'trainee', [], ['CC1', 'CC3']],
    ],
  ],
  [
    priya,
    [
      ['2026-05-20', 'trainee', ['CC5'], ['CC1']],
      ['2026-11-16', 'trainee', [], ['CC5']],
    ],
  ],
  [tom, [['2026-10-05', 'approved', [], ['CC2']]]],
];

/**
 * The other manager's coders. With the team, trainees number 16: 9 with a CC1 gap and 7 with CC3
 * (shown), 2 with CC5 (hidden: fewer than 5), 5 with none; the 5 approved auditors all have a CC2 gap.
 */
const OTHERS: History[] = [
  ...Array.from({ length: 6 }, (): History => [
    ['2026-05-12', 'trainee', ['CC1', 'CC3', 'CC4']],
    ['2026-10-20', 'trainee', ['CC1', 'CC3']],
  ]),
  ...Array.from({ length: 2 }, (): History => [['2026-10-27', 'trainee', ['CC1']]]),
  [['2026-11-03', 'trainee', ['CC5']]],
  ...Array.from({ length: 5 }, (): History => [
    ['2026-04-21', 'trainee', ['CC2']],
    ['2026-11-09', 'trainee', []],
  ]),
  ...Array.from({ length: 4 }, (): History => [['2026-10-12', 'approved', ['CC2']]]),
];

async function assess(app: App, lib: Library, who: Person, history: History): Promise<void> {
  await giveAssessments(
    app,
    who,
    history.map(([day, level, gapAreas, halfAreas = []], i) => {
      const a = completedAssessment(lib, {
        id: `${who.aadObjectId.slice(-4)}-${i + 1}`,
        level,
        completedAt: `${day}T10:00:00Z`,
        gapAreas: [...gapAreas, ...halfAreas],
      });
      const half = lib.framework.areas
        .filter((area) => halfAreas.includes(area.id))
        .flatMap((area) => area.subAreas.flatMap((sub) => sub.statements.map((st) => st.id)))
        .filter((id) => id in a.ratings);
      half.forEach((id, n) => {
        if (n % 2 === 1) a.ratings[id] = 'competent';
      });
      return a;
    }),
  );
}

function must<T>(outcome: { ok: true; doc: T } | { ok: false; problem: string }): T {
  if (!outcome.ok) throw new Error(`seeding refused: ${outcome.problem}`);
  return outcome.doc;
}

/** Robin's plan: one agreed item now overdue, one proposed by the manager, one done. */
async function robinsPlan(app: App, lib: Library): Promise<void> {
  const [first, second, third] = lib.framework.activities.filter((a) => a.supports.includes('CC3'));
  if (!first || !second || !third) throw new Error('the framework has too few CC3 activities');
  const activity = (a: typeof first) => ({ id: a.id, text: a.text, servesAreas: ['CC3' as const] });
  const october = new Date('2026-10-01T09:00:00Z');
  await app.plans.update(robin.aadObjectId, (doc: PlanDoc) => {
    let d = must(
      proposeItem(doc, {
        id: 'p1',
        activity: activity(first),
        targetDate: '2026-11-13',
        owner: 'coder',
        by: 'coder',
        today: '2026-10-01',
        now: october,
      }),
    );
    d = must(confirmItem(d, 'p1', 'manager', october));
    d = must(
      proposeItem(d, {
        id: 'p2',
        activity: activity(second),
        targetDate: '2027-01-15',
        owner: 'manager',
        by: 'manager',
        today: '2026-11-20',
        now: NOW,
      }),
    );
    d = must(
      proposeItem(d, {
        id: 'p3',
        activity: activity(third),
        targetDate: '2026-10-30',
        owner: 'coder',
        by: 'coder',
        today: '2026-10-01',
        now: october,
      }),
    );
    d = must(confirmItem(d, 'p3', 'manager', october));
    return must(
      closeItem(d, 'p3', { as: 'done', note: 'Presented at the team meeting', by: 'coder', now: NOW }),
    );
  });
}

/** Robin's latest assessment reviewed (the manager rates one CC3 sub-area higher); Priya's waiting. */
async function reviews(app: App, lib: Library): Promise<void> {
  const side = { managerTeamsId: manager.id, managerName: manager.name };
  const robinsLatest = (await app.assessments.get(robin.aadObjectId))?.history.at(-1);
  const priyasLatest = (await app.assessments.get(priya.aadObjectId))?.history.at(-1);
  if (!robinsLatest?.completedAt || !priyasLatest?.completedAt) throw new Error('no assessments to review');
  const cc3 = reviewedSubAreas(lib, { level: 'trainee' }).find((s) => s.areaId === 'CC3')?.subAreaId ?? '';
  await app.reviews.update(robin.aadObjectId, (doc) => {
    const opened = openReview(
      doc,
      { ...robinsLatest, completedAt: robinsLatest.completedAt },
      { coderName: robin.name, ...side },
      new Date('2026-11-02T11:00:00Z'),
    );
    if (!opened) return undefined;
    return must(
      recordVerdicts(lib, opened, {
        assessmentId: robinsLatest.id,
        managerTeamsId: manager.id,
        verdicts: { [cc3]: { choice: 'competent', comment: 'Led two audit feedback sessions well' } },
        finish: true,
        now: new Date('2026-11-05T15:00:00Z'),
      }),
    );
  });
  await app.reviews.update(priya.aadObjectId, (doc) =>
    openReview(
      doc,
      { ...priyasLatest, completedAt: priyasLatest.completedAt },
      { coderName: priya.name, ...side },
      new Date('2026-11-13T11:00:00Z'),
    ),
  );
}

export async function seedTabs(app: App, lib: Library): Promise<void> {
  await hasChatted(app, manager);
  for (const [who, history] of TEAM) {
    await hasChatted(app, who);
    await assess(app, lib, who, history);
    await shares(app, who, manager, NOW);
  }
  for (const [i, history] of OTHERS.entries()) {
    const who = someone(0xd000 + i, `Coder ${String.fromCharCode(65 + i)}`);
    await assess(app, lib, who, history);
    await shares(app, who, otherManager, NOW);
  }
  await reviews(app, lib);
  await robinsPlan(app, lib);
  await saveProgrammeAnswers(
    app.eligibility,
    robin.aadObjectId,
    ['hasAcc', 'accDate'],
    EligibilityAnswersSchema.parse({ hasAcc: 'yes', accDate: '2025-06-02' }),
    NOW,
  );
}
