import assert from 'node:assert/strict';
import {
  firstDayOfWindow,
  MAX_QUESTION_CHARS,
  questionKey,
  questionLogCsv,
  scrubQuestion,
  summariseQuestionLog,
  type QuestionLogEntry,
  type UnansweredRow,
} from '../../bot/core/questions/questionLog.js';

// Every person, address and number below is made up: example domains, Ofcom's drama numbers
// (07700 900xxx, 020 7946 0xxx, 0113 496 0xxx, 01632 960xxx) and NHS numbers that fail the check digit.

describe('question log: scrubbing a question before it is kept', () => {
  const cases: { name: string; input: string; names?: string[]; expected: string }[] = [
    {
      name: 'an ordinary question is kept as typed',
      input: 'What does CC2 cover?',
      expected: 'What does CC2 cover?',
    },
    {
      name: 'a Teams mention',
      input: 'can <at>Priya Examplesmith</at> sign off my audit?',
      expected: 'can [name] sign off my audit?',
    },
    {
      name: 'a Teams mention with attributes and odd case',
      input: '<AT id="0">Sam Madeup</AT>: is CCAP open?',
      expected: '[name] : is CCAP open?',
    },
    { name: 'an @ mention of one word', input: 'ask @Jordan about CC3', expected: 'ask [name] about CC3' },
    {
      name: 'an @ mention with a surname',
      input: '@Jordan Fictional-Jones can I apply?',
      expected: '[name] can I apply?',
    },
    {
      name: 'an email address',
      input: 'send it to jo.bloggs+coding@example.nhs.uk please',
      expected: 'send it to [email] please',
    },
    {
      name: 'an email address is not mistaken for a mention',
      input: 'jordan@example.org asked',
      expected: '[email] asked',
    },
    {
      name: 'a mobile number with a space',
      input: 'ring me on 07700 900123',
      expected: 'ring me on [phone]',
    },
    { name: 'a mobile number with dashes', input: 'ring 07700-900-123', expected: 'ring [phone]' },
    { name: 'a mobile number run together', input: 'text 07700900123 now', expected: 'text [phone] now' },
    { name: 'a London number', input: 'call 020 7946 0123', expected: 'call [phone]' },
    { name: 'a London number in brackets', input: 'call (020) 7946 0123', expected: 'call [phone]' },
    { name: 'a 0113 number', input: 'office 0113 496 0000 ext', expected: 'office [phone] ext' },
    { name: 'a five-digit area code', input: 'desk 01632 960001', expected: 'desk [phone]' },
    { name: '+44 with spaces', input: 'on +44 7700 900123.', expected: 'on [phone].' },
    { name: '+44 (0) form', input: 'on +44 (0)20 7946 0123', expected: 'on [phone]' },
    { name: '+44 run together', input: 'on +447700900123', expected: 'on [phone]' },
    { name: '0044 form', input: 'on 0044 7700 900123', expected: 'on [phone]' },
    {
      name: 'an NHS number with spaces',
      input: 'patient 943 476 5910 was coded as',
      expected: 'patient [number] was coded as',
    },
    { name: 'an NHS number with dashes', input: 'NHS no 943-476-5910?', expected: 'NHS no [number]?' },
    { name: 'an NHS number run together', input: 'nhs 9434765910', expected: 'nhs [number]' },
    { name: 'a longer hospital number', input: 'MRN 123456789012', expected: 'MRN [number]' },
    {
      name: 'codes, years and short numbers stay',
      input: 'Is K35.8 valid in 2026 for 3 episodes (OPCS H01.1)?',
      expected: 'Is K35.8 valid in 2026 for 3 episodes (OPCS H01.1)?',
    },
    {
      name: "the asker's own name, wherever it is typed",
      input: "Hi, I'm Zebedee Quartermaine. Can zebedee apply?",
      names: ['Zebedee Quartermaine'],
      expected: "Hi, I'm [name] [name]. Can [name] apply?",
    },
    {
      name: 'a name part inside a longer word stays',
      input: 'Does Alexandra need CCTP?',
      names: ['Alex Madeup'],
      expected: 'Does Alexandra need CCTP?',
    },
    {
      name: 'white space and line breaks collapse',
      input: '  what\tis \n\n  SPC?&nbsp; ',
      expected: 'what is SPC?',
    },
    {
      name: 'everything at once',
      input: '<at>Bot</at> @Casey Example (casey@example.com, 07700 900456, NHS 943 476 5910) failed?',
      expected: '[name] [name] ([email], [phone], NHS [number]) failed?',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(scrubQuestion(c.input, { names: c.names }), c.expected);
    });
  }

  it(`keeps at most ${MAX_QUESTION_CHARS} characters`, () => {
    const long = `${'why '.repeat(200)}07700 900123`;
    const out = scrubQuestion(long);
    assert.ok(out.length <= MAX_QUESTION_CHARS, `${out.length}`);
    assert.ok(out.startsWith('why why'));
    assert.equal(scrubQuestion('é'.repeat(400)).length, MAX_QUESTION_CHARS);
  });

  it('scrubs before it cuts, so a number at the cut is not left in part', () => {
    const out = scrubQuestion(`${'a'.repeat(295)} 943 476 5910`);
    assert.doesNotMatch(out, /\d{3}/);
  });
});

describe('question log: the window of days', () => {
  const cases: [string, number, string][] = [
    ['2026-11-16', 1, '2026-11-16'],
    ['2026-11-16', 90, '2026-08-19'],
    ['2026-03-01', 2, '2026-02-28'],
    ['2028-03-01', 2, '2028-02-29'],
    ['2027-01-01', 7, '2026-12-26'],
  ];
  for (const [today, days, first] of cases) {
    it(`${days} day(s) up to ${today} start on ${first}`, () => {
      assert.equal(firstDayOfWindow(today, days), first);
    });
  }
  it('refuses a window of no days', () => {
    assert.throws(() => firstDayOfWindow('2026-11-16', 0), RangeError);
    assert.throws(() => firstDayOfWindow('2026-11-16', 1.5), RangeError);
  });
});

describe('question log: summarising for content owners', () => {
  const e = (
    text: string,
    day: string,
    reason: QuestionLogEntry['reason'] = 'unanswered',
  ): QuestionLogEntry => ({
    text,
    day,
    reason,
  });

  const cases: { name: string; entries: QuestionLogEntry[]; expected: UnansweredRow[] }[] = [
    { name: 'nothing logged, no rows', entries: [], expected: [] },
    {
      name: 'wordings that differ in case, spacing and punctuation are one question, worded as first seen',
      entries: [
        e('What is SPC?', '2026-11-10'),
        e('what is spc', '2026-11-12', 'not-helpful'),
        e('  WHAT  is SPC ??', '2026-11-11'),
      ],
      expected: [
        { question: 'What is SPC?', count: 3, unanswered: 2, notHelpful: 1, lastSeen: '2026-11-12' },
      ],
    },
    {
      name: 'first seen means the earliest day, whatever order the entries come in',
      entries: [e('Who signs off CCAP', '2026-11-12'), e('who signs off CCAP?', '2026-11-01')],
      expected: [
        { question: 'who signs off CCAP?', count: 2, unanswered: 2, notHelpful: 0, lastSeen: '2026-11-12' },
      ],
    },
    {
      name: 'most frequent first, then most recently seen',
      entries: [
        e('older single', '2026-11-01'),
        e('twice', '2026-11-02'),
        e('twice', '2026-11-03', 'not-helpful'),
        e('newer single', '2026-11-05'),
      ],
      expected: [
        { question: 'twice', count: 2, unanswered: 1, notHelpful: 1, lastSeen: '2026-11-03' },
        { question: 'newer single', count: 1, unanswered: 1, notHelpful: 0, lastSeen: '2026-11-05' },
        { question: 'older single', count: 1, unanswered: 1, notHelpful: 0, lastSeen: '2026-11-01' },
      ],
    },
    {
      name: 'a question of punctuation alone is left out',
      entries: [e('???', '2026-11-01'), e('CC9?', '2026-11-01')],
      expected: [{ question: 'CC9?', count: 1, unanswered: 1, notHelpful: 0, lastSeen: '2026-11-01' }],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(summariseQuestionLog(c.entries), c.expected);
    });

  it('the grouping key ignores case, spacing and punctuation but not words', () => {
    assert.equal(questionKey(' What’s  CC2, then? '), 'what s cc2 then');
    assert.notEqual(questionKey('what is CC2'), questionKey('what is CC3'));
  });
});

describe('question log: CSV', () => {
  const row = (question: string, over: Partial<UnansweredRow> = {}): UnansweredRow => ({
    question,
    count: 2,
    unanswered: 1,
    notHelpful: 1,
    lastSeen: '2026-11-12',
    ...over,
  });

  it('has a header row and CRLF after every record', () => {
    assert.equal(
      questionLogCsv([row('What is SPC?')]),
      'Question,Times,Unanswered,Not helpful,Last seen\r\nWhat is SPC?,2,1,1,2026-11-12\r\n',
    );
    assert.equal(questionLogCsv([]), 'Question,Times,Unanswered,Not helpful,Last seen\r\n');
  });

  const cells: [string, string][] = [
    ['a comma, in it', '"a comma, in it"'],
    ['a "quoted" word', '"a ""quoted"" word"'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://example.com")', `"'=HYPERLINK(""http://example.com"")"`],
    ['+1 for CC2', "'+1 for CC2"],
    ['-5 days?', "'-5 days?"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['is a-b=c fine', 'is a-b=c fine'],
  ];
  for (const [question, cell] of cells) {
    it(`writes ${JSON.stringify(question)} as ${cell}`, () => {
      const line = questionLogCsv([row(question)]).split('\r\n')[1]!;
      assert.equal(line, `${cell},2,1,1,2026-11-12`);
    });
  }
});
