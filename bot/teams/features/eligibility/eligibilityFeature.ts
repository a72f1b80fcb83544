import { z } from 'zod';
import {
  checkEligibility,
  describeRuleForQuestion,
  findProgramme,
  questionsFor,
  validateAnswers,
  type CriterionResult,
  type CriterionStatus,
  type FieldError,
  type RelatedRuleResult,
  type Verdict,
} from '../../../core/eligibility/eligibility.js';
import {
  EligibilityAnswersSchema,
  type EligibilityAnswers,
  type EligibilityRules,
  type Question,
} from '../../../core/eligibility/eligibilitySchema.js';
import { formatDay, parseDay } from '../../../core/calendar.js';
import type { Library } from '../../../core/library.js';
import { saveProgrammeAnswers, type EligibilityRepo } from '../../../core/eligibility/answers.js';
import type { CardViews } from '../../cards.js';
import { NoData, verb, type Feature } from '../../feature.js';
import { cardInvokeResponse, errorInvokeResponse, type Turn } from '../../turn.js';
import { sourceLine } from '../../views.js';

const NONE_SUFFIX = ':none';
const ProgrammeDataSchema = z.object({ programme: z.string().min(1).max(40) });

const BUTTON_TITLES: Record<string, string> = { apprenticeship: 'Level 3 apprenticeship' };
/**
 * Teams' Good (light green) and Warning (yellow) fail text contrast on white, so statuses are told by
 * their words, in the default colour, with Attention and Accent (both readable) for what needs doing.
 */
const STATUS: Record<CriterionStatus, { word: string; color: string }> = {
  met: { word: 'Met', color: 'Default' },
  missing: { word: 'Missing', color: 'Attention' },
  unknown: { word: 'Unknown', color: 'Default' },
  info: { word: 'Note', color: 'Accent' },
};
const VERDICT: Record<Verdict, { word: string; color: string }> = {
  eligible: { word: 'Eligible', color: 'Accent' },
  'not-yet': { word: 'Not yet', color: 'Attention' },
  unknown: { word: 'Need more answers', color: 'Default' },
};
const QUESTION_WORDS =
  /^(can|could|may|am|is|are|do|does|did|how|what|when|which|who|why|will|would|should|must|if|after)\b/i;

type FormView = CardViews['eligibilityForm'];
type ResultView = CardViews['eligibilityResult'];

/** /eligibility and its card flow: pick a programme, answer its questions, see what is met. */
export function eligibilityFeature(
  lib: Library,
  repo: EligibilityRepo,
  rules: EligibilityRules,
): Feature<'eligibility'> {
  const programmeOf = (id: unknown) => rules.programmes.find((p) => p.id === id);

  const pickView = (message = ''): ResultView => ({
    summary: 'Check your eligibility: choose CCAP, CCTP or the Level 3 apprenticeship.',
    title: 'Check your eligibility',
    titleColor: 'Default',
    subtitle: '',
    text: [
      message,
      'Choose a programme. I ask only the questions it needs, save your answers for next time and show what is met and what is missing, with the source of each rule.',
    ]
      .filter(Boolean)
      .join(' '),
    applyLine: '',
    note: '',
    metLine: '',
    unknownLine: '',
    allLabel: '',
    programme: '',
    rows: rules.programmes.map((p) => ({
      status: '',
      color: 'Default',
      label: p.name,
      detail: p.summary,
      quote: '',
      source: '',
      reading: '',
      extra: [],
    })),
    sources: [],
    showWhy: false,
    buttons: rules.programmes.map((p) => ({
      title: BUTTON_TITLES[p.id] ?? p.shortName,
      verb: 'eligibility.form',
      programme: p.id,
    })),
  });

  const ruleView = (programmeId: string, question: string): ResultView => {
    const d = describeRuleForQuestion(rules, programmeId);
    const row = (status: string, color: string, s: (typeof d.current)[number], label = s.label) => ({
      status,
      color,
      label,
      detail: s.rule,
      quote: s.source.quote,
      source: sourceLine(lib, s.source.id),
      reading: s.reading ?? '',
      extra: [],
    });
    const [first, ...rest] = d.current;
    return {
      summary: d.text.length > 400 ? `${d.text.slice(0, 399)}…` : d.text,
      title: d.programme.name,
      titleColor: 'Default',
      subtitle: question.length > 120 ? `${question.slice(0, 119)}…` : question,
      applyLine: '',
      metLine: '',
      unknownLine: '',
      allLabel: '',
      programme: d.programme.id,
      text: '',
      note: d.note ?? '',
      // Asked about the rules themselves: each rule's quote and our reading are the answer.
      showWhy: true,
      sources: sourcesOnce(
        [...d.current.slice(0, 1), ...d.historic, ...d.context, ...d.current.slice(1)].map(
          (x) => x.source.id,
        ),
      ),
      rows: [
        ...(first ? [row('Rule we apply', 'Accent', first)] : []),
        ...d.historic.map((h) => row('History', 'Warning', h, relatedTitle(h.label))),
        ...d.context.map((h) => row('Compare', 'Default', h, relatedTitle(h.label))),
        ...rest.map((s) => row('Also', 'Default', s)),
      ],
      buttons: [
        { title: 'Check my eligibility', verb: 'eligibility.form', programme: d.programme.id },
        { title: 'Another programme', verb: 'eligibility.pick', programme: '' },
      ],
    };
  };

  /** The form, with `values` as the card inputs would send them. */
  const formView = (
    turn: Turn,
    programmeId: string,
    values: Record<string, unknown>,
    opts: { errors?: FieldError[]; confirmation?: string; showHelp?: boolean } = {},
  ): FormView => {
    const p = programmeOf(programmeId);
    // Programme ids reach here from the rules themselves or through ProgrammeData, which checks them.
    if (!p)
      throw new Error(`The eligibility form was asked for programme "${programmeId}", which the rules lack`);
    const questions = questionsFor(rules, p.id);
    const errors = opts.errors ?? [];
    const [firstError] = errors;
    const required = questions.filter((q) => !q.allowUnknown);
    return {
      summary: firstError
        ? `Please correct your answers: ${firstError.message}`
        : `Check your eligibility for the ${p.name}: ${questions.length} questions.`,
      errors: errors.map((e) => e.message).join('\n\n'),
      confirmation: opts.confirmation ?? '',
      title: `Can I apply for ${p.shortName}?`,
      // Promise "Not sure" only where it is offered: a question that needs an answer has none.
      intro: `Answer what you can; where you don't know, leave a date blank or choose "Not sure"${
        required.length ? ` (not offered where an answer is needed)` : ''
      }. Dates as day/month/year. Saved for next time.`,
      programme: p.id,
      showHelp: opts.showHelp ?? false,
      questions: questions.map((q) => questionView(q, values, turn.locale)),
    };
  };

  const savedValues = async (turn: Turn): Promise<Record<string, unknown>> =>
    toInputValues(rules, (await repo.get(turn.userKey))?.answers ?? {});

  const resultView = (
    turn: Turn,
    programmeId: string,
    answers: EligibilityAnswers,
    today: string,
    all = false,
  ): ResultView => {
    const r = checkEligibility(rules, programmeId, answers, today);
    // What stands in the way first; what is met in one line and the notes behind "Show all details",
    // so the card fits a screen however many requirements the programme has.
    const open = all
      ? r.criteria
      : r.criteria.filter((c) => c.status === 'missing' || (c.status === 'info' && c.phase === 'entry'));
    const met = r.criteria.filter((c) => c.status === 'met');
    const unknown = r.criteria.filter((c) => c.status === 'unknown');
    const v = VERDICT[r.verdict];
    const applyLine =
      r.verdict === 'eligible'
        ? 'You can apply now.'
        : r.eligibleFrom
          ? `You can apply from ${formatDay(r.eligibleFrom, turn.locale)}.`
          : '';
    return {
      summary: `${v.word}: ${applyLine ? `${applyLine} ` : ''}${r.summary}`,
      title: v.word,
      titleColor: v.color,
      subtitle: r.programme.name,
      applyLine,
      // The apply line says the date once; the summary's own sentence about it would repeat it.
      text: r.eligibleFrom
        ? r.summary.replace(/\s*On your other answers you could apply from [^.]+\./, '')
        : r.summary,
      note: r.note ?? '',
      rows: open.map((c) => criterionRow(c)),
      metLine: !all && met.length ? `Met: ${met.map((c) => c.label).join('; ')}.` : '',
      unknownLine:
        !all && unknown.length
          ? `Needs your answer (Change answers): ${unknown.map((c) => c.label).join('; ')}.`
          : '',
      // "Show all details" also opens each rule's quote and our reading, so it is offered until pressed.
      allLabel: all ? '' : 'Show all details',
      programme: r.programme.id,
      sources: sourcesOnce(
        r.criteria.flatMap((c) => [
          c.source.id,
          ...(c.history ? [c.history.source.id] : []),
          ...(c.context ? [c.context.source.id] : []),
        ]),
      ),
      showWhy: all,
      buttons: [
        { title: 'Change answers', verb: 'eligibility.form', programme: r.programme.id },
        { title: 'Another programme', verb: 'eligibility.pick', programme: '' },
      ],
    };
  };

  const criterionRow = (c: CriterionResult): ResultView['rows'][number] => {
    const s = STATUS[c.status];
    const related = (r: RelatedRuleResult) => ({
      text: `${relatedTitle(r.label)}: ${r.detail}`,
      quote: r.source.quote,
      source: sourceLine(lib, r.source.id),
    });
    return {
      status: s.word,
      color: s.color,
      label: c.label,
      detail: c.detail,
      quote: c.source.quote,
      source: sourceLine(lib, c.source.id),
      reading: c.reading ?? '',
      extra: [...(c.history ? [related(c.history)] : []), ...(c.context ? [related(c.context)] : [])],
    };
  };

  /** Every source the card rests on, each named once, in the order first used. */
  const sourcesOnce = (ids: string[]) => [...new Set(ids)].map((id) => ({ text: sourceLine(lib, id) }));

  const badProgramme = () =>
    Promise.resolve(errorInvokeResponse(400, 'Please choose CCAP, CCTP or the Level 3 apprenticeship.'));
  /** A programme the rules have; anything else gets badProgramme. */
  const ProgrammeData = ProgrammeDataSchema.refine((d) => programmeOf(d.programme) !== undefined);

  return {
    commands: {
      eligibility: async (turn, args) => {
        const query = (args.query ?? '').trim();
        if (!query) return turn.sendRendered(turn.render('eligibilityResult', pickView()));
        const p = findProgramme(rules, query);
        if (!p) {
          return turn.sendRendered(
            turn.render('eligibilityResult', pickView("I couldn't tell which programme you mean.")),
          );
        }
        const words = query.split(/\s+/).filter(Boolean);
        const isQuestion = query.includes('?') || words.length > 4 || QUESTION_WORDS.test(query);
        if (isQuestion) return turn.sendRendered(turn.render('eligibilityResult', ruleView(p.id, query)));
        await turn.sendRendered(
          turn.render('eligibilityForm', formView(turn, p.id, await savedValues(turn))),
        );
      },
    },
    verbs: {
      'eligibility.pick': verb(NoData, (turn) =>
        Promise.resolve(cardInvokeResponse(turn.render('eligibilityResult', pickView()))),
      ),
      'eligibility.form': verb(
        ProgrammeData,
        async (turn, { programme }, data) => {
          // An answer in words opens the form with what was understood filled in; nothing is saved until Check.
          const prefill = prefillOf(data.prefill);
          const values = { ...(await savedValues(turn)), ...(prefill ? toInputValues(rules, prefill) : {}) };
          // "Help" sends what has been typed so far; it stays on the form.
          const showHelp = data.help === true || data.help === 'true';
          const typed = showHelp ? answerInputs(questionsFor(rules, programme), data) : {};
          return cardInvokeResponse(
            turn.render('eligibilityForm', formView(turn, programme, { ...values, ...typed }, { showHelp })),
          );
        },
        badProgramme,
      ),
      'eligibility.check': verb(
        ProgrammeData,
        async (turn, { programme }, data) => {
          const programmeId = programme;
          const today = turn.today;
          const questions = questionsFor(rules, programmeId);
          const dated = readDates(questions, data, turn.locale);
          const { raw, errors: noneErrors } = withNoneAnswers(questions, dated.raw);
          const result = validateAnswers(rules, programmeId, raw, today);
          const errors = [...dated.errors, ...noneErrors, ...(result.ok ? [] : result.errors)];
          if (!result.ok || errors.length) {
            return cardInvokeResponse(
              turn.render('eligibilityForm', formView(turn, programmeId, dated.raw, { errors })),
            );
          }
          const saved = await saveProgrammeAnswers(
            repo,
            turn.userKey,
            questions.map((q) => q.id),
            withNotSure(questions, raw, result.answers),
            turn.now,
          );
          return cardInvokeResponse(
            turn.render(
              'eligibilityResult',
              resultView(turn, programmeId, saved?.answers ?? result.answers, today),
            ),
          );
        },
        badProgramme,
      ),
      'eligibility.result': verb(
        ProgrammeData,
        async (turn, { programme }) => {
          const answers = (await repo.get(turn.userKey))?.answers ?? {};
          return cardInvokeResponse(
            turn.render('eligibilityResult', resultView(turn, programme, answers, turn.today, true)),
          );
        },
        badProgramme,
      ),
      'eligibility.clear': verb(
        ProgrammeData,
        async (turn, { programme }) => {
          await repo.remove(turn.userKey);
          return cardInvokeResponse(
            turn.render(
              'eligibilityForm',
              formView(
                turn,
                programme,
                {},
                { confirmation: 'Your saved eligibility answers have been deleted.' },
              ),
            ),
          );
        },
        async (turn) => {
          await repo.remove(turn.userKey);
          return cardInvokeResponse(
            turn.render('eligibilityResult', pickView('Your saved eligibility answers have been deleted.')),
          );
        },
      ),
    },
  };
}

/** "the 2012/13 rule" → "2012/13 rule"; "the CCAP rule we apply" → "CCAP rule we apply". */
function relatedTitle(label: string): string {
  const s = label.replace(/^the\s+/i, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function questionView(
  q: Question,
  values: Record<string, unknown>,
  locale: string,
): FormView['questions'][number] {
  const v = values[q.id];
  // Card inputs and stored answers are text, yes/no or lists; anything else shows as blank.
  const text = Array.isArray(v)
    ? v.map(String).join(',')
    : typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : '';
  const base = {
    id: q.id,
    label: q.allowUnknown ? q.label : `${q.label} (needs an answer)`,
    help: q.help,
    placeholder: '',
    noneId: '',
    noneLabel: '',
    noneValue: 'false',
  };
  switch (q.type) {
    case 'date':
      return {
        ...base,
        kind: 'date',
        placeholder: 'e.g. 14/03/2024',
        // Shown as read ("14 March 2024"), so a date typed the other way round is seen at once.
        value:
          text === 'none' || text === 'unknown'
            ? ''
            : /^\d{4}-\d{2}-\d{2}$/.test(text)
              ? formatDay(text, locale)
              : text,
        choices: [],
        ...(q.noneLabel
          ? {
              noneId: `${q.id}${NONE_SUFFIX}`,
              noneLabel: q.noneLabel,
              noneValue: text === 'none' || values[`${q.id}${NONE_SUFFIX}`] === 'true' ? 'true' : 'false',
            }
          : {}),
      };
    case 'yesNo':
      return {
        ...base,
        kind: 'choice',
        value: text,
        choices: [
          { title: 'Yes', value: 'yes' },
          { title: 'No', value: 'no' },
          ...(q.allowUnknown ? [{ title: 'Not sure', value: 'unknown' }] : []),
        ],
      };
    case 'choice':
      return {
        ...base,
        kind: 'choice',
        value: text,
        choices: [
          ...q.choices.map((c) => ({ title: c.label, value: c.value })),
          ...(q.allowUnknown ? [{ title: 'Not sure', value: 'unknown' }] : []),
        ],
      };
    case 'multiSelect':
      return {
        ...base,
        kind: 'multi',
        value: text,
        choices: q.choices.map((c) => ({ title: c.label, value: c.value })),
      };
  }
}

/** The answers an eligibility question in words understood, carried as JSON by its button; bad data is ignored. */
function prefillOf(raw: unknown): EligibilityAnswers | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return undefined;
  try {
    const parsed = EligibilityAnswersSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Stored answers as the card inputs would send them (booleans → "yes"/"no", lists → "a,b"). */
function toInputValues(rules: EligibilityRules, answers: EligibilityAnswers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of rules.questions) {
    const v = (answers as Record<string, unknown>)[q.id];
    if (v === undefined) continue;
    out[q.id] = v === true ? 'yes' : v === false ? 'no' : Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

/**
 * Dates as typed ("14/03/2024", "14 March 2024") read in the locale's order into YYYY-MM-DD, which the
 * rules expect; text that is no date is an error naming what was typed, not a guess.
 */
function readDates(
  questions: Question[],
  data: Record<string, unknown>,
  locale: string,
): { raw: Record<string, unknown>; errors: FieldError[] } {
  const raw: Record<string, unknown> = { ...data };
  const errors: FieldError[] = [];
  for (const q of questions) {
    const v = data[q.id];
    if (q.type !== 'date' || typeof v !== 'string' || v.trim() === '' || v === 'none' || v === 'unknown')
      continue;
    const parsed = parseDay(v, locale);
    if (parsed.ok) raw[q.id] = parsed.iso;
    else
      errors.push({
        field: q.id,
        message:
          parsed.reason === 'not-a-date'
            ? `The date you gave for ${q.dateNoun}, ${v.trim()}, is not a real date.`
            : `I couldn't read "${v.trim()}" as a date for ${q.dateNoun}: type it as day/month/year, for example 14/03/2024.`,
      });
  }
  return { raw, errors };
}

/** "Not sure" is an answer too: kept, so that Change answers shows it again instead of a blank. */
function withNotSure(
  questions: Question[],
  raw: Record<string, unknown>,
  answers: EligibilityAnswers,
): EligibilityAnswers {
  const out: Record<string, unknown> = { ...answers };
  for (const q of questions)
    if (
      q.allowUnknown &&
      q.type !== 'date' &&
      q.type !== 'multiSelect' &&
      raw[q.id] === 'unknown' &&
      out[q.id] === undefined
    )
      out[q.id] = 'unknown';
  return EligibilityAnswersSchema.parse(out);
}

/** The form's own inputs among what a button sent, for showing them again. */
function answerInputs(questions: Question[], data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of questions)
    for (const key of [q.id, `${q.id}${NONE_SUFFIX}`]) if (data[key] !== undefined) out[key] = data[key];
  return out;
}

/** Folds the "I have not attended one" toggles into their date answers ("none"). */
function withNoneAnswers(
  questions: Question[],
  data: Record<string, unknown>,
): { raw: Record<string, unknown>; errors: FieldError[] } {
  // The toggles themselves are not answers: what they say is folded into the date's.
  const toggles = new Set(
    questions.filter((q) => q.type === 'date' && q.noneLabel).map((q) => `${q.id}${NONE_SUFFIX}`),
  );
  const raw: Record<string, unknown> = Object.fromEntries(
    Object.entries(data).filter(([k]) => !toggles.has(k)),
  );
  const errors: FieldError[] = [];
  for (const q of questions) {
    if (q.type !== 'date' || !q.noneLabel) continue;
    const key = `${q.id}${NONE_SUFFIX}`;
    const none = data[key] === 'true' || data[key] === true;
    if (!none) continue;
    const date = data[q.id];
    if (date === undefined || date === null || date === '') raw[q.id] = 'none';
    else
      errors.push({
        field: q.id,
        message: `Give a date for ${q.dateNoun} or tick "${q.noneLabel}", not both.`,
      });
  }
  return { raw, errors };
}
