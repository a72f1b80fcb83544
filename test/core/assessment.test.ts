import assert from 'node:assert/strict';
import {
  answersFor,
  applyStep,
  assessmentPlan,
  AssessmentDocSchema,
  cardPlan,
  currentStep,
  FACT_QUESTIONS,
  MAX_STATEMENTS_PER_CARD,
  isGap,
  isMet,
  latestCompleted,
  NOTE_MAX_LENGTH,
  previousCompleted,
  newAssessmentDoc,
  RATING_LABELS,
  RATINGS,
  restartAssessment,
  startAssessment,
  StepSubmissionSchema,
  type ApplyStepResult,
  type AssessmentDoc,
  type Rating,
  type StepAction,
  type StepSubmission,
} from '../../bot/core/assessment/assessment.js';
import type { Level } from '../../bot/core/frameworkSchema.js';
import { compareAssessments } from '../../bot/core/assessment/gaps.js';
import { allStatements, type Library } from '../../bot/core/library.js';
import { loadLibrary } from '../../bot/data/loadData.js';

const T0 = Date.parse('2025-03-03T09:00:00.000Z');
/** A fixed clock: minute n after the start. */
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

let lib: Library;
before(async () => {
  lib = await loadLibrary();
});

function begin(level: Level, id = 'a1', userId = 'user-1'): AssessmentDoc {
  return restartAssessment(newAssessmentDoc(userId), level, { id, now: at(0) });
}

/** The submission the current card would send. */
function cardSubmission(
  doc: AssessmentDoc,
  action: StepAction,
  ratings: Record<string, Rating> = {},
  note?: string,
): StepSubmission {
  assert.ok(doc.current, 'an assessment is in progress');
  const step = currentStep(lib, doc.current);
  return {
    assessmentId: step.assessmentId,
    revision: step.revision,
    subAreaId: step.subArea.id,
    part: step.part,
    action,
    ratings,
    ...(note === undefined ? {} : { note }),
  };
}

function accepted(result: ApplyStepResult): AssessmentDoc {
  if (!result.ok) assert.fail(`step rejected: ${result.code} ${result.message}`);
  return result.doc;
}

/** A scale rating as the statement takes it: factual statements get Yes for met and No for a gap. */
function answer(id: string, rating: Rating): Rating {
  if (answersFor(id).includes(rating)) return rating;
  return rating === 'competent' || rating === 'confident' ? 'yes' : 'no';
}

/** Every statement on the current card rated the same. */
function rateAll(doc: AssessmentDoc, rating: Rating): Record<string, Rating> {
  assert.ok(doc.current);
  return Object.fromEntries(
    currentStep(lib, doc.current).statements.map((s) => [s.id, answer(s.id, rating)]),
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Answers every card with `rate` and presses Next (Finish on the last card) until the assessment completes. */
function walkToEnd(doc: AssessmentDoc, rate: (statementId: string) => Rating, start = 1): AssessmentDoc {
  let minute = start;
  for (;;) {
    assert.ok(doc.current);
    const step = currentStep(lib, doc.current);
    const ratings = Object.fromEntries(step.statements.map((s) => [s.id, answer(s.id, rate(s.id))]));
    const result = applyStep(
      lib,
      doc,
      cardSubmission(doc, step.isLast ? 'finish' : 'next', ratings),
      at(minute++),
    );
    doc = accepted(result);
    if (result.ok && result.outcome === 'completed') return doc;
  }
}

describe('self-assessment: the rating scale', () => {
  it('lists the four ratings lowest first with the words the coder sees', () => {
    assert.deepEqual(
      RATINGS.map((r) => RATING_LABELS[r]),
      ['Not yet', 'Developing', 'Competent', 'Confident'],
    );
  });

  const table: [Rating | undefined, boolean, boolean][] = [
    ['notYet', true, false],
    ['developing', true, false],
    ['competent', false, true],
    ['confident', false, true],
    [undefined, false, false],
  ];
  for (const [rating, gap, met] of table) {
    it(`treats ${rating ?? 'unanswered'} as ${gap ? 'a gap' : met ? 'met' : 'neither a gap nor met'}`, () => {
      assert.equal(isGap(rating), gap);
      assert.equal(isMet(rating), met);
    });
  }
});

describe('self-assessment: the plan', () => {
  const table: { level: Level; statements: number; cards: number }[] = [
    { level: 'trainee', statements: 70, cards: 32 },
    { level: 'approved', statements: 138, cards: 49 },
  ];

  for (const { level, statements, cards } of table) {
    it(`asks ${level === 'trainee' ? 'a trainee' : 'an approved auditor'} exactly the ${statements} ${level} statements, sub-areas in framework order, at most ${MAX_STATEMENTS_PER_CARD} to a card`, () => {
      const expectedIds = allStatements(lib)
        .filter((s) => s.statement.levels.includes(level))
        .map((s) => s.statement.id);
      assert.equal(expectedIds.length, statements, 'the data count for the level');
      const expectedSubAreas = [
        ...new Set(
          allStatements(lib)
            .filter((s) => s.statement.levels.includes(level))
            .map((s) => s.subArea.id),
        ),
      ];

      let doc = begin(level);
      const asked: string[] = [];
      const cardsSeen: string[] = [];
      let minute = 1;
      for (;;) {
        assert.ok(doc.current);
        const step = currentStep(lib, doc.current);
        assert.equal(step.total, cards);
        assert.equal(step.totalStatements, statements);
        assert.equal(step.number, cardsSeen.length + 1);
        assert.equal(step.answeredCount, asked.length);
        assert.ok(step.statements.length <= MAX_STATEMENTS_PER_CARD);
        cardsSeen.push(step.subArea.id);
        asked.push(...step.statements.map((s) => s.id));
        const ratings = Object.fromEntries(step.statements.map((s) => [s.id, answer(s.id, 'competent')]));
        const result = applyStep(
          lib,
          doc,
          cardSubmission(doc, step.isLast ? 'finish' : 'next', ratings),
          at(minute++),
        );
        doc = accepted(result);
        if (result.ok && result.outcome === 'completed') break;
      }
      assert.deepEqual(asked, expectedIds);
      assert.deepEqual([...new Set(cardsSeen)], expectedSubAreas);
      assert.equal(cardsSeen.length, cards);
      assert.equal(doc.history.length, 1);
      assert.equal(Object.keys(doc.history[0]!.ratings).length, statements);
    });
  }

  it('gives each card only the statements at the level (CC1a at trainee leaves out approved-only CC1a.1)', () => {
    const cc1a = assessmentPlan(lib, 'trainee').find((s) => s.subArea.id === 'CC1a');
    assert.deepEqual(
      cc1a?.subArea.statements.map((s) => s.id),
      ['CC1a.2', 'CC1a.3', 'CC1a.6'],
    );
    assert.equal(
      assessmentPlan(lib, 'trainee').some((s) => s.subArea.id === 'CC1c'),
      false,
      'CC1c has no trainee statement, so no card',
    );
  });
});

describe('self-assessment: stepping through', () => {
  it('starts at the first card with nothing answered, at revision 0', () => {
    const a = startAssessment(lib, 'trainee', { id: 'a1', now: new Date(T0) });
    assert.equal(a.startedAt, at(0));
    const step = currentStep(lib, a);
    assert.deepEqual(
      {
        sub: step.subArea.id,
        index: step.index,
        number: step.number,
        first: step.isFirst,
        last: step.isLast,
      },
      { sub: 'CC1a', index: 0, number: 1, first: true, last: false },
    );
    assert.equal(step.revision, 0);
    assert.equal(step.percentAnswered, 0);
    assert.equal(step.subArea.label, 'CC1 a. Risk, control and governance');
    assert.ok(step.statements.every((s) => s.rating === undefined));
  });

  it('next saves the ratings, moves to the following sub-area and reports progress', () => {
    const doc = begin('trainee');
    const result = applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'confident')), at(1));
    assert.equal(result.ok && result.outcome, 'moved');
    const next = accepted(result);
    const step = currentStep(lib, next.current!);
    assert.equal(step.subArea.id, 'CC1b');
    assert.equal(step.number, 2);
    assert.equal(step.answeredCount, 3);
    assert.equal(step.percentAnswered, Math.round((100 * 3) / 70));
    assert.equal(next.current!.revision, 1);
    assert.equal(next.current!.updatedAt, at(1));
    assert.equal(next.current!.startedAt, at(0));
  });

  it('next with statements unrated saves the answers, stays and names the unrated ones', () => {
    const doc = begin('trainee');
    const result = applyStep(lib, doc, cardSubmission(doc, 'next', { 'CC1a.2': 'developing' }), at(1));
    assert.ok(result.ok);
    assert.equal(result.outcome, 'unanswered');
    assert.deepEqual(result.unanswered, ['CC1a.3', 'CC1a.6']);
    const held = accepted(result);
    assert.deepEqual(held.current!.ratings, { 'CC1a.2': 'developing' });
    assert.equal(currentStep(lib, held.current!).subArea.id, 'CC1a');
    assert.equal(held.current!.revision, 1, 'the held card is a new revision, so the old one is stale');
  });

  it('next after being told, leaving statements for later, moves on; they stay unanswered', () => {
    let doc = begin('trainee');
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'next', { 'CC1a.2': 'developing' }), at(1)));
    const result = applyStep(lib, doc, { ...cardSubmission(doc, 'next'), leaveUnanswered: true }, at(2));
    assert.equal(result.ok && result.outcome, 'moved');
    const next = accepted(result);
    assert.deepEqual(next.current!.ratings, { 'CC1a.2': 'developing' });
    assert.equal(currentStep(lib, next.current!).subArea.id, 'CC1b');
  });

  it('finish on the last card with a statement unrated holds the card too', () => {
    let doc = begin('trainee');
    const last = cardPlan(lib, 'trainee').length - 1;
    for (let i = 0; i < last; i++)
      doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'skip'), at(i + 1)));
    const result = applyStep(lib, doc, cardSubmission(doc, 'finish'), at(100));
    assert.equal(result.ok && result.outcome, 'unanswered');
    const done = applyStep(
      lib,
      accepted(result),
      { ...cardSubmission(accepted(result), 'finish'), leaveUnanswered: true },
      at(101),
    );
    assert.equal(done.ok && done.outcome, 'completed');
  });

  it('splits a long sub-area evenly: approved CC2b (13 statements) is asked as 4 + 3 + 3 + 3, parts numbered', () => {
    const parts = cardPlan(lib, 'approved').filter((c) => c.subArea.id === 'CC2b');
    assert.deepEqual(
      parts.map((c) => [c.part, c.parts, c.statements.length]),
      [
        [0, 4, 4],
        [1, 4, 3],
        [2, 4, 3],
        [3, 4, 3],
      ],
    );
    assert.deepEqual(
      parts.flatMap((c) => c.statements.map((s) => s.id)),
      parts[0]!.subArea.statements.map((s) => s.id),
    );
  });

  it('asks factual statements (holding ACC, attending a course) as Yes / No / Not sure, and counts them met or not', () => {
    assert.deepEqual(Object.keys(FACT_QUESTIONS).sort(), [
      'CC2a.1',
      'CC2a.2',
      'CC2b.11',
      'CC2b.12',
      'CC2b.13',
    ]);
    for (const id of Object.keys(FACT_QUESTIONS))
      assert.ok(
        allStatements(lib).some((s) => s.statement.id === id),
        `${id} is in the framework`,
      );
    assert.deepEqual(answersFor('CC2a.1'), ['yes', 'no', 'notSure']);
    assert.deepEqual(answersFor('CC2a.3'), ['notYet', 'developing', 'competent', 'confident']);
    assert.equal(isMet('yes'), true);
    assert.equal(isGap('no'), true);
    assert.equal(isGap('notSure') || isMet('notSure'), false);

    let doc = begin('trainee');
    while (currentStep(lib, doc.current!).subArea.id !== 'CC2a')
      doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'skip'), at(1)));
    const step = currentStep(lib, doc.current!);
    assert.deepEqual(
      step.statements.map((s) => [s.id, s.kind]),
      [
        ['CC2a.1', 'fact'],
        ['CC2a.2', 'fact'],
        ['CC2a.3', 'scale'],
      ],
    );
    assert.equal(step.statements[0]!.question, FACT_QUESTIONS['CC2a.1']);
    const wrong = applyStep(lib, doc, cardSubmission(doc, 'save', { 'CC2a.1': 'competent' }), at(2));
    assert.equal(!wrong.ok && wrong.code, 'ASSESSMENT.WRONG_ANSWER');
    const wrong2 = applyStep(lib, doc, cardSubmission(doc, 'save', { 'CC2a.3': 'yes' }), at(2));
    assert.equal(!wrong2.ok && wrong2.code, 'ASSESSMENT.WRONG_ANSWER');
    const saved = accepted(
      applyStep(lib, doc, cardSubmission(doc, 'save', { 'CC2a.1': 'notSure', 'CC2a.2': 'no' }), at(3)),
    );
    assert.deepEqual(
      currentStep(lib, saved.current!).statements.map((s) => s.rating),
      ['notSure', 'no', undefined],
      'Not sure is kept as an answer, so the card shows it again',
    );
  });

  it('reads a document stored before sub-areas were split (no part) as the first card of its sub-area', () => {
    const doc = begin('approved');
    const old = { ...doc, current: { ...doc.current!, position: 4 } };
    delete (old.current as { part?: number }).part;
    const step = currentStep(lib, AssessmentDocSchema.parse(old).current!);
    assert.equal(step.subArea.id, 'CC2a');
    assert.equal(step.part, 0);
  });

  it('resumes mid-way from a JSON round-trip of the stored document', () => {
    let doc = begin('approved');
    for (let i = 0; i < 5; i++)
      doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'competent')), at(i + 1)));
    doc = accepted(
      applyStep(lib, doc, cardSubmission(doc, 'save', rateAll(doc, 'developing'), 'Half way'), at(6)),
    );

    const stored = JSON.stringify(doc);
    const resumed = AssessmentDocSchema.parse(JSON.parse(stored));
    assert.deepEqual(resumed, doc);
    const step = currentStep(lib, resumed.current!);
    assert.equal(step.number, 6);
    assert.equal(step.note, 'Half way');
    assert.ok(step.statements.every((s) => s.rating === 'developing'));

    const done = walkToEnd(resumed, () => 'confident', 7);
    assert.equal(done.history.length, 1);
    assert.equal(done.current, undefined);
  });

  it('back returns to the previous card with its answers, and an earlier answer can be changed', () => {
    let doc = begin('trainee');
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'notYet')), at(1)));
    const backResult = applyStep(lib, doc, cardSubmission(doc, 'back', { 'CC1b.2': 'competent' }), at(2));
    assert.equal(backResult.ok && backResult.outcome, 'moved');
    doc = accepted(backResult);
    const step = currentStep(lib, doc.current!);
    assert.equal(step.subArea.id, 'CC1a');
    assert.deepEqual(
      step.statements.map((s) => s.rating),
      ['notYet', 'notYet', 'notYet'],
    );
    assert.equal(doc.current!.ratings['CC1b.2'], 'competent', 'answers on the card left with Back are kept');

    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'next', { 'CC1a.3': 'confident' }), at(3)));
    assert.deepEqual(
      ['CC1a.2', 'CC1a.3', 'CC1a.6'].map((id) => doc.current!.ratings[id]),
      ['notYet', 'confident', 'notYet'],
    );
    assert.equal(currentStep(lib, doc.current!).subArea.id, 'CC1b');
  });

  it('back on the first card stays there and saves', () => {
    const doc = begin('trainee');
    const result = applyStep(lib, doc, cardSubmission(doc, 'back', { 'CC1a.2': 'competent' }), at(1));
    assert.equal(result.ok && result.outcome, 'saved');
    const after = accepted(result);
    assert.equal(currentStep(lib, after.current!).index, 0);
    assert.equal(after.current!.ratings['CC1a.2'], 'competent');
  });

  it('skip moves on without answering and marks the sub-area skipped until it is answered', () => {
    let doc = begin('trainee');
    const result = applyStep(lib, doc, cardSubmission(doc, 'skip'), at(1));
    assert.equal(result.ok && result.outcome, 'moved');
    doc = accepted(result);
    assert.equal(currentStep(lib, doc.current!).subArea.id, 'CC1b');
    assert.deepEqual(doc.current!.ratings, {});
    assert.deepEqual(doc.current!.skipped, ['CC1a']);

    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'back'), at(2)));
    assert.equal(currentStep(lib, doc.current!).skipped, true, 'the card shows it was skipped');
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'competent')), at(3)));
    assert.deepEqual(doc.current!.skipped, []);
  });

  it('save and finish later keeps the position and the answers', () => {
    let doc = begin('trainee');
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'skip'), at(1)));
    const result = applyStep(lib, doc, cardSubmission(doc, 'save', { 'CC1b.5': 'developing' }), at(2));
    assert.equal(result.ok && result.outcome, 'saved');
    const saved = accepted(result);
    assert.equal(saved.current!.position, doc.current!.position);
    assert.equal(saved.current!.ratings['CC1b.5'], 'developing');
    assert.equal(saved.current!.revision, doc.current!.revision + 1);
  });

  it('keeps one evidence note per sub-area, trimmed; a blank note removes it and a missing one leaves it', () => {
    let doc = begin('trainee');
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'save', {}, '  Audited 40 episodes  '), at(1)));
    assert.deepEqual(doc.current!.notes, { CC1a: 'Audited 40 episodes' });
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'save'), at(2)));
    assert.deepEqual(doc.current!.notes, { CC1a: 'Audited 40 episodes' });
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'save', {}, '   '), at(3)));
    assert.deepEqual(doc.current!.notes, {});
  });

  it(`accepts a note of exactly ${NOTE_MAX_LENGTH} characters`, () => {
    const doc = begin('trainee');
    const after = accepted(
      applyStep(lib, doc, cardSubmission(doc, 'next', {}, 'x'.repeat(NOTE_MAX_LENGTH)), at(1)),
    );
    assert.equal(after.current!.notes.CC1a?.length, NOTE_MAX_LENGTH);
  });

  it('never changes the document it is given and returns new objects', () => {
    const doc = deepFreeze(begin('trainee'));
    const snapshot = structuredClone(doc);
    const after = accepted(
      applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'competent'), 'n'), at(1)),
    );
    assert.deepEqual(doc, snapshot);
    assert.notEqual(after.current, doc.current);
    const restarted = restartAssessment(doc, 'approved', { id: 'a2', now: at(2) });
    assert.deepEqual(doc, snapshot);
    assert.equal(restarted.current!.id, 'a2');
  });
});

describe('self-assessment: finishing', () => {
  it('finish on the last card moves the assessment into history with completedAt', () => {
    let doc = begin('trainee');
    const last = cardPlan(lib, 'trainee').length - 1;
    for (let i = 0; i < last; i++)
      doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'skip'), at(i + 1)));
    assert.equal(currentStep(lib, doc.current!).isLast, true);
    const result = applyStep(lib, doc, cardSubmission(doc, 'finish', rateAll(doc, 'competent')), at(100));
    assert.equal(result.ok && result.outcome, 'completed');
    const done = accepted(result);
    assert.equal(done.current, undefined);
    assert.equal(done.history.length, 1);
    assert.equal(done.history[0]!.completedAt, at(100));
    assert.equal(done.history[0]!.id, 'a1');
    AssessmentDocSchema.parse(JSON.parse(JSON.stringify(done)));
  });

  for (const action of ['next', 'skip'] as const) {
    it(`${action} on the last card completes the assessment too`, () => {
      let doc = begin('trainee');
      const last = cardPlan(lib, 'trainee').length - 1;
      for (let i = 0; i < last; i++)
        doc = accepted(
          applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'competent')), at(i + 1)),
        );
      const result = applyStep(lib, doc, cardSubmission(doc, action, rateAll(doc, 'competent')), at(100));
      assert.equal(result.ok && result.outcome, 'completed');
    });
  }

  it('keeps completed assessments most recent last, and a second one shows closed and new gaps against the first', () => {
    let doc = begin('trainee', 'first');
    doc = walkToEnd(doc, (id) =>
      id.startsWith('CC3') ? 'notYet' : id === 'CC4b.1' ? 'confident' : 'competent',
    );
    doc = restartAssessment(doc, 'trainee', { id: 'second', now: at(500) });
    doc = walkToEnd(
      doc,
      (id) => (id === 'CC4b.1' ? 'developing' : id === 'CC3b.1' ? 'notYet' : 'competent'),
      501,
    );

    assert.deepEqual(
      doc.history.map((a) => a.id),
      ['first', 'second'],
    );
    const [previous, latest] = doc.history;
    const comparison = compareAssessments(lib, previous!, latest!);
    const cc3 = allStatements(lib)
      .filter((s) => s.area.id === 'CC3' && s.statement.levels.includes('trainee'))
      .map((s) => s.statement.id);
    assert.deepEqual(
      comparison.closed,
      cc3.filter((id) => id !== 'CC3b.1'),
    );
    assert.deepEqual(comparison.opened, ['CC4b.1']);
    const cc3Change = comparison.areaChanges.find((c) => c.areaId === 'CC3');
    assert.deepEqual(cc3Change && [cc3Change.beforePercent, cc3Change.afterPercent], [
      0,
      Math.round((100 * (cc3.length - 1)) / cc3.length),
    ]);
  });
});

describe('self-assessment: rejected submissions leave the document unchanged', () => {
  /** A doc on its second card (CC1b) at revision 1, with one answer. */
  function onSecondCard(): AssessmentDoc {
    const doc = begin('trainee');
    return accepted(
      applyStep(
        lib,
        doc,
        { ...cardSubmission(doc, 'next', { 'CC1a.2': 'competent' }), leaveUnanswered: true },
        at(1),
      ),
    );
  }

  const table: {
    name: string;
    code: string;
    make: (doc: AssessmentDoc) => { doc: AssessmentDoc; submission: StepSubmission };
  }[] = [
    {
      name: 'a card from an earlier revision (the assessment moved on elsewhere)',
      code: 'ASSESSMENT.STALE_CARD',
      make: (doc) => ({
        doc,
        submission: { ...cardSubmission(doc, 'next'), revision: 0, subAreaId: 'CC1a' },
      }),
    },
    {
      name: 'a card with the right revision but another sub-area',
      code: 'ASSESSMENT.STALE_CARD',
      make: (doc) => ({ doc, submission: { ...cardSubmission(doc, 'next'), subAreaId: 'CC1a' } }),
    },
    {
      name: 'a card of an assessment that was started over',
      code: 'ASSESSMENT.STALE_CARD',
      make: (doc) => {
        const old = cardSubmission(doc, 'next', { 'CC1b.2': 'confident' });
        return {
          doc: restartAssessment(doc, 'trainee', { id: 'a2', now: at(2) }),
          submission: { ...old, revision: 0, subAreaId: 'CC1a' },
        };
      },
    },
    {
      name: 'a rating for a statement of another sub-area',
      code: 'ASSESSMENT.UNKNOWN_STATEMENT',
      make: (doc) => ({
        doc,
        submission: cardSubmission(doc, 'next', { 'CC1b.2': 'competent', 'CC2a.1': 'competent' }),
      }),
    },
    {
      name: 'a rating for a statement of this sub-area that is not at the level (approved-only CC1b.3 for a trainee)',
      code: 'ASSESSMENT.UNKNOWN_STATEMENT',
      make: (doc) => ({ doc, submission: cardSubmission(doc, 'save', { 'CC1b.3': 'competent' }) }),
    },
    {
      name: 'a rating for a statement that does not exist',
      code: 'ASSESSMENT.UNKNOWN_STATEMENT',
      make: (doc) => ({ doc, submission: cardSubmission(doc, 'next', { 'CC1b.99': 'competent' }) }),
    },
    {
      name: `a note over ${NOTE_MAX_LENGTH} characters`,
      code: 'ASSESSMENT.NOTE_TOO_LONG',
      make: (doc) => ({ doc, submission: cardSubmission(doc, 'next', {}, 'x'.repeat(NOTE_MAX_LENGTH + 1)) }),
    },
    {
      name: 'finish before the last card',
      code: 'ASSESSMENT.CANNOT_FINISH_YET',
      make: (doc) => ({ doc, submission: cardSubmission(doc, 'finish') }),
    },
    {
      name: 'any card when no assessment is in progress',
      code: 'ASSESSMENT.NOT_STARTED',
      make: (doc) => ({
        doc: { ...newAssessmentDoc(doc.userId), history: [] },
        submission: cardSubmission(doc, 'next'),
      }),
    },
  ];

  for (const { name, code, make } of table) {
    it(`rejects ${name} with ${code}`, () => {
      const { doc, submission } = make(onSecondCard());
      const snapshot = structuredClone(doc);
      const result = applyStep(lib, deepFreeze(doc), submission, at(10));
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.code, code);
      assert.ok(result.message.length > 20, 'a plain-English message for the coder');
      assert.doesNotMatch(result.message, /ASSESSMENT\.|undefined/);
      assert.deepEqual(doc, snapshot);
    });
  }

  it('confirms the trainee CC1b card asks CC1b.2 and CC1b.5 only (the premise of the level rejection)', () => {
    const doc = onSecondCard();
    assert.deepEqual(
      currentStep(lib, doc.current!).statements.map((s) => s.id),
      ['CC1b.2', 'CC1b.5'],
    );
  });

  it('says a stale card is out of date and that the coder is shown where they are now', () => {
    const doc = onSecondCard();
    const result = applyStep(lib, doc, { ...cardSubmission(doc, 'next'), revision: 0 }, at(2));
    assert.ok(!result.ok);
    assert.match(result.message, /out of date/);
    assert.match(result.message, /where you are now/);
  });
});

describe('self-assessment: restart and stored documents', () => {
  it('restart discards the assessment in progress and begins again at the first card', () => {
    let doc = begin('trainee');
    doc = accepted(applyStep(lib, doc, cardSubmission(doc, 'next', rateAll(doc, 'competent')), at(1)));
    const restarted = restartAssessment(doc, 'approved', { id: 'a2', now: at(2) });
    assert.equal(restarted.current!.id, 'a2');
    assert.equal(restarted.current!.level, 'approved');
    assert.equal(restarted.current!.revision, 0);
    assert.deepEqual(restarted.current!.ratings, {});
    assert.deepEqual(restarted.history, []);
  });

  it('restart refuses an id used before, which would let old cards pass as current', () => {
    const doc = begin('trainee', 'same');
    assert.throws(() => restartAssessment(doc, 'trainee', { id: 'same', now: at(1) }), /used before/);
  });

  it('the stored document schema rejects another schemaVersion and an in-progress assessment with completedAt', () => {
    const doc = begin('trainee');
    assert.equal(AssessmentDocSchema.safeParse({ ...doc, schemaVersion: 2 }).success, false);
    assert.equal(
      AssessmentDocSchema.safeParse({ ...doc, current: { ...doc.current, completedAt: at(1) } }).success,
      false,
    );
    assert.equal(AssessmentDocSchema.safeParse(doc).success, true);
  });

  it('the submission schema rejects a rating off the scale and defaults missing ratings to none', () => {
    const base = { assessmentId: 'a1', revision: 0, subAreaId: 'CC1a', action: 'skip' };
    assert.deepEqual(StepSubmissionSchema.parse(base).ratings, {});
    assert.equal(StepSubmissionSchema.safeParse({ ...base, ratings: { 'CC1a.2': 'expert' } }).success, false);
    assert.equal(StepSubmissionSchema.safeParse({ ...base, action: 'jump' }).success, false);
    assert.equal(StepSubmissionSchema.safeParse({ ...base, revision: -1 }).success, false);
  });
});

describe('the latest completed assessment', () => {
  const done = (id: string, completedAt: string) => ({
    id,
    level: 'trainee' as const,
    startedAt: '2026-01-01T00:00:00Z',
    updatedAt: completedAt,
    completedAt,
    revision: 1,
    position: 0,
    ratings: {},
    notes: {},
    skipped: [],
  });
  const doc = (...history: ReturnType<typeof done>[]): AssessmentDoc => ({
    ...newAssessmentDoc('u1'),
    history,
  });

  it('is the one completed last, not the one stored last (an assessment re-opened and finished again)', () => {
    const d = doc(done('reopened', '2026-11-25T10:00:00Z'), done('b', '2026-11-20T10:00:00Z'));
    assert.equal(latestCompleted(d)?.id, 'reopened');
    assert.equal(previousCompleted(d)?.id, 'b');
  });

  it('on equal completion times is the later entry; with no history there is none', () => {
    const d = doc(done('a', '2026-11-20T10:00:00Z'), done('b', '2026-11-20T10:00:00Z'));
    assert.equal(latestCompleted(d)?.id, 'b');
    assert.equal(previousCompleted(d)?.id, 'a');
    assert.equal(latestCompleted(doc()), undefined);
    assert.equal(latestCompleted(undefined), undefined);
    assert.equal(previousCompleted(doc(done('a', '2026-11-20T10:00:00Z'))), undefined);
  });
});
